//! The forms of the tracker and ticket pages, each the activity a C2S client would post, sent
//! through `act::submit` after the CSRF token and the session (`form_guard`):
//! `POST /trackers/{id}/tickets` (summary, content: `Offer{Ticket}`),
//! `POST /trackers/{id}/tickets/{n}/comments` (content: `Create{Note}`),
//! `POST /trackers/{id}/tickets/{n}/resolve` (`Resolve`) and `.../reopen`
//! (`Undo{Resolve}`); the last two only with a `triage` Grant (403 otherwise, nothing sent).
//! Then `303 See Other` back to the page (to the new ticket once the tracker accepted it).
//! The comment, resolve and reopen handlers serve either kind of tracker (`mr_forms` registers
//! them under a merge request's path).

use super::act::submit;
use super::answers::{answer_to, WAIT};
use super::error_page::PageResult;
use super::form_guard::{local_path, poster};
use super::grant_of;
use super::page::redirect_see_other;
use crate::error::{Error, Result};
use crate::http::state::AppState;
use crate::http::tickets::Tracker;
use actix_web::{web, HttpRequest};
use actors::ticket_tracker::{GetTicket, TicketTracker};
use actors::urls::routes;
use schema::Role;
use serde::Deserialize;
use serde_json::{json, Value};
use url::Url;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(routes::TICKETS, web::post().to(open))
        .route(
            &format!("{}/comments", routes::TICKET),
            web::post().to(comment::<TicketTracker>),
        )
        .route(
            &format!("{}/resolve", routes::TICKET),
            web::post().to(resolve::<TicketTracker>),
        )
        .route(
            &format!("{}/reopen", routes::TICKET),
            web::post().to(reopen::<TicketTracker>),
        );
}

/// The fields of these forms (absent ones empty: a missing token is refused as a wrong one).
#[derive(Deserialize)]
pub struct TicketForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub content: String,
}

/// The Offer of a new Ticket to `tracker` (this instance's or another's): the description is
/// Markdown, sent as sanitized HTML with its source.
pub fn offer(tracker: &Url, summary: &str, markdown: &str, cap: Option<&Url>) -> Result<Value> {
    let summary = summary.trim();
    if summary.is_empty() {
        return Err(Error::BadRequest("a ticket needs a title".into()));
    }
    let mut offer = json!({"type": "Offer", "to": [tracker], "target": tracker,
        "object": {"type": "Ticket", "summary": summary, "context": tracker,
                   "content": actors::browse::readme::markdown(markdown), "mediaType": "text/html",
                   "source": {"content": markdown, "mediaType": "text/markdown"}}});
    if let Some(c) = cap {
        offer["capability"] = json!(c);
    }
    Ok(offer)
}

/// The Create of a comment (Markdown, sent as sanitized HTML with its source) on `ticket` of
/// `tracker`, addressed to the tracker and the ticket's followers.
pub fn note(tracker: &Url, ticket: &Url, markdown: &str) -> Result<Value> {
    if markdown.trim().is_empty() {
        return Err(Error::BadRequest("the comment is empty".into()));
    }
    let mut object = markdown_note(markdown);
    object["context"] = json!(ticket);
    object["inReplyTo"] = json!(ticket);
    Ok(json!({"type": "Create", "to": [tracker, format!("{ticket}/followers")], "object": object}))
}

/// A Note of Markdown text, sent as sanitized HTML with its source.
pub fn markdown_note(markdown: &str) -> Value {
    json!({"type": "Note", "content": actors::browse::readme::markdown(markdown),
           "mediaType": "text/html",
           "source": {"content": markdown, "mediaType": "text/markdown"}})
}

/// The Grant of `report` or more `user` holds on `tracker` (here or elsewhere), to invoke
/// when opening or commenting; None when they hold none (a public tracker needs none, and
/// refuses a lower Grant invoked).
pub async fn report_capability(state: &AppState, user: &str, tracker: &Url) -> Result<Option<Url>> {
    let held = grant_of::mine(state, user, tracker).await?;
    Ok(held.filter(|g| g.role >= Role::Report).map(|g| g.grant))
}

async fn open(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<TicketForm>,
) -> PageResult {
    let user = poster(&state, &req, &form.csrf)?;
    let r = crate::http::outbox::actor_from_path(&state, &req, "trackers", &path)?;
    let tracker = state.urls.actor(&r);
    let cap = report_capability(&state, &user, &tracker).await?;
    let activity = offer(&tracker, &form.summary, &form.content, cap.as_ref())?;
    let id = submit(&state, &user, activity).await?;
    let answer = answer_to(&state, &user, &id, WAIT).await?;
    Ok(redirect_see_other(&match answer {
        Some(a) if a["type"] == "Accept" && a["result"].is_string() => {
            local_path(&state, a["result"].as_str().unwrap_or_default())
        }
        _ => tracker.path().to_string(),
    }))
}

/// The tracker and ticket IRIs of a form's path (a tracker of type `A`), checked to exist, and
/// the ticket's document.
pub async fn ticket_of<A: Tracker>(
    state: &AppState,
    req: &HttpRequest,
    id: &str,
    n: u64,
) -> Result<(Url, Url, Value)> {
    let r = crate::http::outbox::actor_from_path(state, req, A::KIND.path_segment(), id)?;
    let addr = state.registry.get::<A>(id).await?;
    let doc = (addr.send(GetTicket { number: n }).await)
        .map_err(actors::ActorError::from)?
        .map_err(|e| match e {
            actors::ActorError::NotFound(what) => Error::NotFound(format!("no {what} here")),
            other => other.into(),
        })?;
    Ok((state.urls.actor(&r), state.urls.ticket(&r, n), doc))
}

/// `POST {ticket}/comments`: a `Create{Note}` on a ticket or merge request.
pub async fn comment<A: Tracker>(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64)>,
    form: web::Form<TicketForm>,
) -> PageResult {
    let user = poster(&state, &req, &form.csrf)?;
    let (tracker, ticket, _) = ticket_of::<A>(&state, &req, &path.0, path.1).await?;
    let mut create = note(&tracker, &ticket, &form.content)?;
    if let Some(c) = report_capability(&state, &user, &tracker).await? {
        create["capability"] = json!(c);
    }
    let id = submit(&state, &user, create).await?;
    answer_to(&state, &user, &id, WAIT).await?;
    Ok(redirect_see_other(ticket.path()))
}

/// `POST {ticket}/resolve` (or a merge request's `/close`).
pub async fn resolve<A: Tracker>(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64)>,
    form: web::Form<TicketForm>,
) -> PageResult {
    set_state::<A>(&req, &state, &path, &form.csrf, true).await
}

/// `POST {ticket}/reopen`.
pub async fn reopen<A: Tracker>(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64)>,
    form: web::Form<TicketForm>,
) -> PageResult {
    set_state::<A>(&req, &state, &path, &form.csrf, false).await
}

/// Sends a Resolve (`close`) or an Undo of the ticket's Resolve, with the person's `triage`
/// (or higher) Grant; 403 without one.
async fn set_state<A: Tracker>(
    req: &HttpRequest,
    state: &AppState,
    path: &(String, u64),
    csrf: &str,
    close: bool,
) -> PageResult {
    let user = poster(state, req, csrf)?;
    let (tracker, ticket, doc) = ticket_of::<A>(state, req, &path.0, path.1).await?;
    let grant = grant_of::require(state, &user, &tracker, Role::Triage).await?;
    let activity = if close {
        json!({"type": "Resolve", "object": ticket, "to": [tracker], "capability": grant.grant})
    } else {
        let by = doc["resolvedBy"].clone();
        json!({"type": "Undo", "to": [tracker], "capability": grant.grant,
               "object": {"type": "Resolve", "actor": by, "object": ticket}})
    };
    let id = submit(state, &user, activity).await?;
    answer_to(state, &user, &id, WAIT).await?;
    Ok(redirect_see_other(ticket.path()))
}
