//! The ticket page, the HTML face of `/trackers/{id}/tickets/{n}` (`http::tickets` calls
//! [`show`] when the request wants HTML): the ticket, its state, its discussion oldest first
//! (HTML content sanitized), the comment form for whoever may comment, and the resolve or
//! reopen button only for a holder of a `triage` Grant (or more) on the tracker. The forms post
//! to `ticket_forms`.

use super::form_guard::actor_label;
use super::grant_of;
use super::page::{chrome, render, Chrome};
use crate::error::{Error, Result};
use crate::http::state::AppState;
use actix_web::{HttpRequest, HttpResponse};
use actors::browse::readme::clean_html;
use actors::kinds::ticket_list::GetTicketThread;
use actors::ticket_tracker::TicketTracker;
use actors::{ActorKind, ActorRef};
use askama::Template;
use schema::Role;
use serde_json::Value;

/// One comment as the page shows it.
pub struct CommentView {
    pub author: String,
    pub published: String,
    /// Sanitized HTML.
    pub html: String,
}

#[derive(Template)]
#[template(path = "tickets/ticket.html")]
struct TicketPage {
    chrome: Chrome,
    tracker_path: String,
    tracker_name: String,
    path: String,
    number: u64,
    summary: String,
    author: String,
    published: String,
    /// Sanitized HTML.
    html: String,
    resolved: bool,
    resolved_by: String,
    comments: Vec<CommentView>,
    may_comment: bool,
    /// Whether these pages have a comment form at all (a sign-in hint otherwise).
    commentable: bool,
    may_triage: bool,
}

/// The content of a Ticket or Note as sanitized HTML (plain text escaped).
pub fn content_html(doc: &Value) -> String {
    let content = doc["content"].as_str().unwrap_or_default();
    match doc["mediaType"].as_str() {
        Some(m) if !m.starts_with("text/html") => actors::browse::readme::preformatted(content),
        _ => clean_html(content),
    }
}

/// The page of ticket `number` of the local tracker `id`.
pub async fn show(
    state: &AppState,
    req: &HttpRequest,
    id: &str,
    number: u64,
) -> Result<HttpResponse> {
    let r = crate::http::outbox::actor_from_path(state, req, "trackers", id)?;
    let chrome = chrome(state, req)?;
    let addr = state.registry.get::<TicketTracker>(id).await?;
    let (doc, notes) = (addr.send(GetTicketThread { number }).await)
        .map_err(actors::ActorError::from)?
        .map_err(|e| match e {
            actors::ActorError::NotFound(what) => Error::NotFound(format!("no {what} here")),
            other => other.into(),
        })?;
    let tracker = state.registry.document(&r).await?;
    let public = tracker.extra.get("public").and_then(Value::as_bool) != Some(false);
    let (may_comment, may_triage) = rights(state, &chrome, &r, public).await?;
    let text = |k: &str| doc[k].as_str().unwrap_or_default().to_string();
    let comments = comment_views(state, &notes);
    let tracker_iri = state.urls.actor(&r);
    render(&TicketPage {
        chrome,
        tracker_path: tracker_iri.path().to_string(),
        tracker_name: tracker.name.unwrap_or_else(|| r.id.clone()),
        path: state.urls.ticket(&r, number).path().to_string(),
        number,
        summary: text("summary"),
        author: actor_label(state, &text("attributedTo")),
        published: text("published").chars().take(10).collect(),
        html: content_html(&doc),
        resolved: doc["isResolved"] == true,
        resolved_by: actor_label(state, &text("resolvedBy")),
        comments,
        may_comment,
        commentable: true,
        may_triage,
    })
}

/// The Notes of a discussion as the page shows them.
pub fn comment_views(state: &AppState, notes: &[Value]) -> Vec<CommentView> {
    notes
        .iter()
        .map(|n| CommentView {
            author: actor_label(state, n["attributedTo"].as_str().unwrap_or_default()),
            published: n["published"]
                .as_str()
                .unwrap_or_default()
                .chars()
                .take(16)
                .collect::<String>()
                .replace('T', " "),
            html: content_html(n),
        })
        .collect()
}

/// Whether the signed-in person may comment (public tracker or `report`) and triage.
async fn rights(
    state: &AppState,
    chrome: &Chrome,
    r: &ActorRef,
    public: bool,
) -> Result<(bool, bool)> {
    debug_assert_eq!(r.kind, ActorKind::TicketTracker);
    let Some(user) = &chrome.user else {
        return Ok((false, false));
    };
    let held = grant_of::mine(state, user, &state.urls.actor(r)).await?;
    let report = public || grant_of::allows(&held, Role::Report);
    Ok((report, grant_of::allows(&held, Role::Triage)))
}
