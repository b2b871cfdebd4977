//! The HTML faces of actor IRIs `/{segment}/{id}`: `http::actor_documents` calls
//! [`actor_page`] when the request wants HTML (`negotiate::wants_html`) and the kind has a page
//! ([`has_page`]); a kind without one keeps answering its JSON document. The page checks who may
//! see it (with `session::reader`): the JSON route's check reads Bearer tokens, not cookies.

use crate::error::Result;
use crate::http::state::AppState;
use actix_web::{HttpRequest, HttpResponse};
use actors::{ActorKind, ActorRef};

/// Whether actors of `kind` have an HTML page.
pub fn has_page(kind: ActorKind) -> bool {
    match kind {
        ActorKind::Person => true,
        ActorKind::Repository => true,
        ActorKind::TicketTracker => true,
        ActorKind::PatchTracker => true,
        ActorKind::Project => true,
        ActorKind::Factory => true,
    }
}

/// The HTML page of the stored local actor `r`.
pub async fn actor_page(state: &AppState, req: &HttpRequest, r: &ActorRef) -> Result<HttpResponse> {
    match r.kind {
        ActorKind::Person => super::person::show(state, req, r).await,
        ActorKind::Repository => super::repo::show(state, req, r).await,
        ActorKind::TicketTracker => super::tracker::show(state, req, r).await,
        ActorKind::PatchTracker => super::patch_tracker::show(state, req, r).await,
        ActorKind::Project => super::project::show(state, req, r).await,
        ActorKind::Factory => super::factory::show(state, req, r).await,
    }
}
