//! Tickets of a TicketTracker, read-only: `GET /trackers/{id}/tickets[?page=N]` (embedded
//! Tickets, newest first), `GET /trackers/{id}/tickets/{n}`, `.../{n}/discussion[?page=N]` (the
//! Notes, oldest first), `.../{n}/followers[?page=N]` and `.../{n}/comments/{seq}`. Tickets are
//! opened, commented on and resolved with activities (see `actors::activities::tickets`).
//! A browser asking for a ticket gets its page (`web::ticket`), for the list the tracker's
//! page (303). Registered before the generic `/{segment}/{id}/{collection}` route, which would
//! shadow them.

use super::activity_json::activity_json;
use super::state::AppState;
use crate::error::{Error, Result};
use actix_web::{web, HttpRequest, HttpResponse};
use actors::ticket_tracker::{
    GetComment, GetTicket, GetTicketCollection, GetTickets, TicketCollection, TicketTracker,
};
use actors::urls::routes;
use serde::Deserialize;
use serde_json::Value;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(routes::TICKETS, web::get().to(list))
        .route(routes::TICKET, web::get().to(ticket))
        .route(routes::TICKET_DISCUSSION, web::get().to(discussion))
        .route(routes::TICKET_FOLLOWERS, web::get().to(followers))
        .route(routes::TICKET_COMMENT, web::get().to(comment));
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<u64>,
}

/// Sends a message to the tracker `id`: 404 when there is no such tracker or the message
/// answers NotFound (an unknown ticket, comment or page).
async fn ask<M>(req: &HttpRequest, state: &AppState, id: &str, msg: M) -> Result<HttpResponse>
where
    M: actix::Message<Result = actors::error::Result<Value>> + Send + 'static,
    TicketTracker: actix::Handler<M>,
{
    super::outbox::actor_from_path(state, req, "trackers", id)?;
    let addr = state.registry.get::<TicketTracker>(id).await?;
    let doc = addr
        .send(msg)
        .await
        .map_err(actors::ActorError::from)?
        .map_err(|e| match e {
            actors::ActorError::NotFound(what) => Error::NotFound(format!("no {what} here")),
            other => other.into(),
        })?;
    Ok(activity_json(req, &doc))
}

async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse> {
    if crate::web::negotiate::wants_html(&req) {
        let tracker = super::outbox::actor_from_path(&state, &req, "trackers", &path)?;
        let page = state.urls.actor(&tracker);
        return Ok(crate::web::page::redirect_see_other(page.path()));
    }
    ask(&req, &state, &path, GetTickets { page: query.page }).await
}

async fn ticket(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64)>,
) -> Result<HttpResponse> {
    let (id, number) = path.into_inner();
    if crate::web::negotiate::wants_html(&req) {
        let page = crate::web::ticket::show(&state, &req, &id, number).await;
        return Ok(crate::web::error_page::respond(page));
    }
    ask(&req, &state, &id, GetTicket { number }).await
}

async fn collection(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64)>,
    page: Option<u64>,
    which: TicketCollection,
) -> Result<HttpResponse> {
    let (id, number) = path.into_inner();
    let msg = GetTicketCollection {
        number,
        which,
        page,
    };
    ask(&req, &state, &id, msg).await
}

async fn discussion(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64)>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse> {
    collection(req, state, path, query.page, TicketCollection::Discussion).await
}

async fn followers(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64)>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse> {
    collection(req, state, path, query.page, TicketCollection::Followers).await
}

async fn comment(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64, u64)>,
) -> Result<HttpResponse> {
    let (id, number, seq) = path.into_inner();
    ask(&req, &state, &id, GetComment { number, seq }).await
}
