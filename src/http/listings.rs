//! The listing API: `GET /api/v1/repos?cursor=&limit=` (the instance's public repositories, in
//! id order, cursor-paginated) and `GET /api/v1/people/{username}/{repos|trackers|projects}`
//! (what that person administers or may write to). The reading is `actors::data::listings` and
//! `actors::grants::held`; this file only translates.

use super::reader::reader;
use super::repo_access::blocking;
use super::state::AppState;
use crate::error::{Error, Result};
use actix_web::{web, HttpRequest, HttpResponse};
use actors::data::listings::{repositories_page, DEFAULT_LIMIT};
use actors::grants::held::held_by;
use actors::urls::routes;
use actors::{ActorKind, ActorRef};
use serde::Deserialize;
use serde_json::json;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(routes::API_REPOS, web::get().to(repositories))
        .route(routes::API_PERSON_REPOS, web::get().to(person_repos))
        .route(routes::API_PERSON_TRACKERS, web::get().to(person_trackers))
        .route(routes::API_PERSON_PROJECTS, web::get().to(person_projects));
}

#[derive(Deserialize)]
struct PageQuery {
    cursor: Option<String>,
    limit: Option<usize>,
}

async fn repositories(
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse> {
    let PageQuery { cursor, limit } = query.into_inner();
    let env = state.registry.env().clone();
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    let page = blocking(move || repositories_page(&env, cursor.as_deref(), limit)).await?;
    Ok(HttpResponse::Ok().json(json!({ "items": page.items, "next": page.next })))
}

async fn person_repos(
    req: HttpRequest,
    state: web::Data<AppState>,
    username: web::Path<String>,
) -> Result<HttpResponse> {
    held(&req, &state, &username, ActorKind::Repository).await
}

async fn person_trackers(
    req: HttpRequest,
    state: web::Data<AppState>,
    username: web::Path<String>,
) -> Result<HttpResponse> {
    held(&req, &state, &username, ActorKind::TicketTracker).await
}

async fn person_projects(
    req: HttpRequest,
    state: web::Data<AppState>,
    username: web::Path<String>,
) -> Result<HttpResponse> {
    held(&req, &state, &username, ActorKind::Project).await
}

/// The resources of `kind` the person holds `write` or more on; 404 for an unknown person.
async fn held(
    req: &HttpRequest,
    state: &AppState,
    username: &str,
    kind: ActorKind,
) -> Result<HttpResponse> {
    let person = ActorRef::new(ActorKind::Person, username);
    let missing = || Error::NotFound(format!("no person named {username:?}"));
    if !actors::kind::is_valid_local_id(username) {
        return Err(missing());
    }
    let who = reader(state, req, &person).await?;
    let env = state.registry.env().clone();
    let r = person.clone();
    let held = blocking(move || held_by(&env, &r, kind, &who))
        .await?
        .ok_or_else(missing)?;
    Ok(HttpResponse::Ok().json(json!({
        "person": state.urls.actor(&person), "items": held.items, "remote": held.remote,
    })))
}
