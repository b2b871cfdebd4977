//! Tickets of a TicketTracker, read-only: `GET /trackers/{id}/tickets[?page=N]` (embedded
//! Tickets, newest first), `GET /trackers/{id}/tickets/{n}`, `.../{n}/discussion[?page=N]` (the
//! Notes, oldest first), `.../{n}/followers[?page=N]` and `.../{n}/comments/{seq}`. Tickets are
//! opened, commented on and resolved with activities (see `actors::activities::tickets`).
//! A browser asking for a ticket gets its page (`web::ticket`), for the list the tracker's
//! page (303). The merge requests of a PatchTracker are served the same way under
//! `/patch-trackers/{id}/merge-requests` (their pages: `web::merge_request`), with
//! `.../{n}/versions/{v}` (JSON only). Registered
//! before the generic `/{segment}/{id}/{collection}` route, which would shadow them.

use super::activity_json::activity_json;
use super::state::AppState;
use crate::error::{Error, Result};
use actix_web::{web, HttpRequest, HttpResponse};
use actors::patch_tracker::{GetVersion, PatchTracker};
use actors::runtime::resource::Resource;
use actors::ticket_tracker::{
    GetComment, GetTicket, GetTicketCollection, GetTickets, TicketCollection, TicketTracker,
};
use actors::urls::routes;
use serde::Deserialize;
use serde_json::Value;

pub fn configure(cfg: &mut web::ServiceConfig) {
    type T = TicketTracker;
    type P = PatchTracker;
    cfg.route(routes::TICKETS, web::get().to(list::<T>))
        .route(routes::TICKET, web::get().to(ticket::<T>))
        .route(routes::TICKET_DISCUSSION, web::get().to(discussion::<T>))
        .route(routes::TICKET_FOLLOWERS, web::get().to(followers::<T>))
        .route(routes::TICKET_COMMENT, web::get().to(comment::<T>))
        .route(routes::MERGE_REQUESTS, web::get().to(list::<P>))
        .route(routes::MERGE_REQUEST, web::get().to(ticket::<P>))
        .route(routes::MR_DISCUSSION, web::get().to(discussion::<P>))
        .route(routes::MR_FOLLOWERS, web::get().to(followers::<P>))
        .route(routes::MR_COMMENT, web::get().to(comment::<P>))
        .route(routes::MR_VERSION, web::get().to(version));
}

/// A tracker actor type whose tickets these routes serve.
pub trait Tracker:
    Resource
    + actix::Handler<GetTickets>
    + actix::Handler<GetTicket>
    + actix::Handler<GetTicketCollection>
    + actix::Handler<GetComment>
{
}

impl<A> Tracker for A where
    A: Resource
        + actix::Handler<GetTickets>
        + actix::Handler<GetTicket>
        + actix::Handler<GetTicketCollection>
        + actix::Handler<GetComment>
{
}

/// The HTML page of ticket `number` of the tracker `id` of type `A`.
async fn ticket_page<A: Resource>(
    state: &AppState,
    req: &HttpRequest,
    id: &str,
    number: u64,
) -> Result<HttpResponse> {
    match A::KIND {
        actors::ActorKind::PatchTracker => {
            crate::web::merge_request::show(state, req, id, number).await
        }
        _ => crate::web::ticket::show(state, req, id, number).await,
    }
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<u64>,
}

/// Sends a message to the tracker `id`: 404 when there is no such tracker or the message
/// answers NotFound (an unknown ticket, comment or page; a review part, `reviews`).
pub(super) async fn ask<A, M>(
    req: &HttpRequest,
    state: &AppState,
    id: &str,
    msg: M,
) -> Result<HttpResponse>
where
    M: actix::Message<Result = actors::error::Result<Value>> + Send + 'static,
    M::Result: Send,
    A: Resource + actix::Handler<M>,
{
    super::outbox::actor_from_path(state, req, A::KIND.path_segment(), id)?;
    let addr = state.registry.get::<A>(id).await?;
    let doc = addr
        .send(msg)
        .await
        .map_err(actors::ActorError::from)?
        .map_err(Error::not_here)?;
    Ok(activity_json(req, &doc))
}

async fn list<A: Tracker>(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse> {
    if crate::web::negotiate::wants_html(&req) {
        let segment = A::KIND.path_segment();
        let tracker = super::outbox::actor_from_path(&state, &req, segment, &path)?;
        let page = state.urls.actor(&tracker);
        return Ok(crate::web::page::redirect_see_other(page.path()));
    }
    ask::<A, _>(&req, &state, &path, GetTickets { page: query.page }).await
}

async fn ticket<A: Tracker>(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64)>,
) -> Result<HttpResponse> {
    let (id, number) = path.into_inner();
    if crate::web::negotiate::wants_html(&req) {
        let page = ticket_page::<A>(&state, &req, &id, number).await;
        return Ok(crate::web::error_page::respond(page));
    }
    ask::<A, _>(&req, &state, &id, GetTicket { number }).await
}

async fn collection<A: Tracker>(
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
    ask::<A, _>(&req, &state, &id, msg).await
}

async fn discussion<A: Tracker>(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64)>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse> {
    collection::<A>(req, state, path, query.page, TicketCollection::Discussion).await
}

async fn followers<A: Tracker>(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64)>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse> {
    collection::<A>(req, state, path, query.page, TicketCollection::Followers).await
}

async fn comment<A: Tracker>(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64, u64)>,
) -> Result<HttpResponse> {
    let (id, number, seq) = path.into_inner();
    ask::<A, _>(&req, &state, &id, GetComment { number, seq }).await
}

async fn version(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64, u64)>,
) -> Result<HttpResponse> {
    let (id, number, v) = path.into_inner();
    ask::<PatchTracker, _>(&req, &state, &id, GetVersion { number, v }).await
}
