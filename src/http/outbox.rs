//! Client-to-server routes: `POST {person}/outbox` (bearer token of that person; the post itself
//! is [`post_activity`], shared with the web forms: `actors::client_post`, creating a Factory
//! needs the FactoryCreator role), and the
//! readable collections `GET {actor}/{inbox|outbox|followers|following|grants}[?page=N]` and
//! `GET {actor}/activities/{id}` (only to its audience, see `actors::audience`; 404 otherwise).

use super::activity_json::activity_json;
use super::auth;
use super::reader::reader;
use super::state::AppState;
use crate::error::{Error, Result};
use crate::federation::verified_activity::MAX_BODY;
use crate::request_body::read_body;
use actix_web::{web, HttpRequest, HttpResponse};
use actors::audience::Reader;
use actors::messages::{GetCollection, ReadActivity};
use actors::urls::{routes, Collection};
use actors::{ActorKind, ActorRef};
use serde::Deserialize;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(routes::OUTBOX, web::post().to(post_outbox))
        .route(routes::ACTIVITY, web::get().to(get_activity))
        .route(routes::COLLECTION, web::get().to(get_collection));
}

/// The local actor named by a path, 404 if it is not stored, 410 if it was deleted or is a
/// suspended person.
pub fn actor_from_path(
    state: &AppState,
    req: &HttpRequest,
    segment: &str,
    id: &str,
) -> Result<ActorRef> {
    let r = ActorKind::from_path_segment(segment)
        .filter(|_| actors::kind::is_valid_local_id(id))
        .map(|k| ActorRef::new(k, id))
        .ok_or_else(|| Error::NotFound(format!("no such resource: {}", req.path())))?;
    if !state.registry.store().actor_exists(&r)? {
        let not_found = Error::NotFound(format!("no {} named {:?}", r.kind, r.id));
        return Err(super::tombstones::missing(state, req, &r, not_found));
    }
    super::tombstones::refuse_suspended(state, req, &r)?;
    Ok(r)
}

async fn post_outbox(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    payload: web::Payload,
) -> Result<HttpResponse> {
    let (segment, id) = path.into_inner();
    let user = auth::require_user(&state, &req)?;
    let r = actor_from_path(&state, &req, &segment, &id)?;
    if r.kind != ActorKind::Person || r.id != user {
        return Err(Error::Forbidden(format!(
            "{user} may only post to their own outbox"
        )));
    }
    let body = read_body(&req, payload, MAX_BODY).await?;
    let activity: serde_json::Value = serde_json::from_slice(&body)
        .map_err(|e| Error::BadRequest(format!("malformed JSON: {e}")))?;
    let id = post_activity(&state, &r, activity).await?;
    Ok(HttpResponse::Created()
        .insert_header((actix_web::http::header::LOCATION, id.as_str()))
        .json(serde_json::json!({ "id": id })))
}

/// Posts `activity` as the local person `person` (already authenticated by the caller): creating
/// a Factory needs the FactoryCreator role, then `actors::client_post`, then a flush. The one
/// path of C2S (`POST {person}/outbox`) and of every web form (`web::act::submit`).
pub async fn post_activity(
    state: &AppState,
    person: &ActorRef,
    activity: serde_json::Value,
) -> Result<url::Url> {
    if actors::flows::factory_create::is_factory_create(&activity)
        && !auth::has_role(state, &person.id, actors::accounts::Role::FactoryCreator)?
    {
        return Err(Error::Forbidden(format!(
            "{} is not allowed to create Factories (see [accounts] factory_creators and `orchard admin grant`)",
            person.id
        )));
    }
    let id = actors::flows::client_post::post(&state.registry, person, activity).await?;
    state.registry.store().flush().await?;
    Ok(id)
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<u64>,
}

async fn get_collection(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse> {
    let (segment, id, collection) = path.into_inner();
    if Collection::from_name(&collection).is_none() {
        return Err(Error::NotFound(format!("no such resource: {}", req.path())));
    }
    let r = actor_from_path(&state, &req, &segment, &id)?;
    // Only the inbox and the outbox depend on who asks, and whether a repository is visible.
    let personal = matches!(collection.as_str(), "inbox" | "outbox");
    let reader = if personal || r.kind == ActorKind::Repository {
        reader(&state, &req, &r).await?
    } else {
        Reader::Anonymous
    };
    super::visibility::check_visible(&state, &r, &reader).await?;
    let reader = if personal { reader } else { Reader::Anonymous };
    if collection == "inbox" && reader != Reader::Owner {
        return Err(match reader {
            Reader::Anonymous => {
                Error::Unauthorized("reading an inbox needs its owner's Bearer token".into())
            }
            _ => Error::Forbidden("only the owner may read an inbox".into()),
        });
    }
    let doc = state
        .registry
        .send(
            &r,
            GetCollection {
                name: collection,
                page: query.page,
                reader,
            },
        )
        .await?;
    Ok(activity_json(&req, &doc))
}

async fn get_activity(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse> {
    let (segment, id, aid) = path.into_inner();
    let r = actor_from_path(&state, &req, &segment, &id)?;
    if aid.is_empty() || aid.len() > 64 || !aid.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Error::NotFound(format!("no activity {aid}")));
    }
    let reader = reader(&state, &req, &r).await?;
    super::visibility::check_visible(&state, &r, &reader).await?;
    let doc = state
        .registry
        .send(
            &r,
            ReadActivity {
                local_id: aid,
                reader,
            },
        )
        .await?;
    Ok(activity_json(&req, &doc))
}
