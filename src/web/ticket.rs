//! The ticket page, the HTML face of `/trackers/{id}/tickets/{n}` (`http::tickets` calls
//! [`show`] when the request wants HTML): the ticket, its state, its discussion oldest first
//! (HTML content sanitized), the comment form for whoever may comment, and the resolve or
//! reopen button only for a holder of a `triage` Grant (or more) on the tracker. The forms post
//! to `ticket_forms`. [`load`] reads what this page and the merge request page share (the
//! ticket's head, its discussion, the person's rights on the tracker).

use super::form_guard::actor_label;
use super::grant_of;
use super::page::{chrome, render, Chrome};
use crate::error::{Error, Result};
use crate::http::state::AppState;
use actix_web::{HttpRequest, HttpResponse};
use actors::browse::readme::clean_html;
use actors::kinds::ticket_list::GetTicketThread;
use actors::runtime::resource::Resource;
use actors::ticket_tracker::TicketTracker;
use actors::ActorRef;
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

/// What the signed-in person may do on a tracker: comment (public tracker or `report`),
/// close and reopen (`triage`), review decisions and merging (`write`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Rights {
    pub comment: bool,
    pub triage: bool,
    pub write: bool,
}

/// The head and discussion of a ticket or merge request, as both pages show them
/// (`templates/tickets/discussion.html` reads `t`).
pub struct TicketHead {
    pub tracker_path: String,
    pub tracker_name: String,
    pub path: String,
    pub number: u64,
    pub summary: String,
    pub author: String,
    pub published: String,
    /// Sanitized HTML.
    pub html: String,
    pub comments: Vec<CommentView>,
    pub may_comment: bool,
}

/// A ticket as [`load`] read it.
pub struct Loaded {
    pub chrome: Chrome,
    pub r: ActorRef,
    pub doc: Value,
    pub head: TicketHead,
    pub rights: Rights,
}

#[derive(Template)]
#[template(path = "tickets/ticket.html")]
struct TicketPage {
    chrome: Chrome,
    t: TicketHead,
    resolved: bool,
    resolved_by: String,
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

/// Ticket `number` of the local tracker `id` of type `A` (404 when either is missing), its
/// discussion and what the signed-in person may do there.
pub async fn load<A>(state: &AppState, req: &HttpRequest, id: &str, number: u64) -> Result<Loaded>
where
    A: Resource + actix::Handler<GetTicketThread>,
{
    let r = crate::http::outbox::actor_from_path(state, req, A::KIND.path_segment(), id)?;
    let chrome = chrome(state, req)?;
    let addr = state.registry.get::<A>(id).await?;
    let (doc, notes) = (addr.send(GetTicketThread { number }).await)
        .map_err(actors::ActorError::from)?
        .map_err(|e| match e {
            actors::ActorError::NotFound(what) => Error::NotFound(format!("no {what} here")),
            other => other.into(),
        })?;
    let tracker = state.registry.document(&r).await?;
    let public = tracker.extra.get("public").and_then(Value::as_bool) != Some(false);
    let rights = rights(state, &chrome, &r, public).await?;
    let text = |k: &str| doc[k].as_str().unwrap_or_default().to_string();
    let head = TicketHead {
        tracker_path: state.urls.actor(&r).path().to_string(),
        tracker_name: tracker.name.unwrap_or_else(|| r.id.clone()),
        path: state.urls.ticket(&r, number).path().to_string(),
        number,
        summary: text("summary"),
        author: actor_label(state, &text("attributedTo")),
        published: text("published").chars().take(10).collect(),
        html: content_html(&doc),
        comments: comment_views(state, &notes),
        may_comment: rights.comment,
    };
    Ok(Loaded {
        chrome,
        r,
        doc,
        head,
        rights,
    })
}

/// The page of ticket `number` of the local tracker `id`.
pub async fn show(
    state: &AppState,
    req: &HttpRequest,
    id: &str,
    number: u64,
) -> Result<HttpResponse> {
    let l = load::<TicketTracker>(state, req, id, number).await?;
    let resolved_by = l.doc["resolvedBy"].as_str().unwrap_or_default();
    render(&TicketPage {
        resolved: l.doc["isResolved"] == true,
        resolved_by: actor_label(state, resolved_by),
        chrome: l.chrome,
        t: l.head,
        may_triage: l.rights.triage,
    })
}

/// The Notes of a discussion as the page shows them.
pub fn comment_views(state: &AppState, notes: &[Value]) -> Vec<CommentView> {
    notes
        .iter()
        .map(|n| CommentView {
            author: actor_label(state, n["attributedTo"].as_str().unwrap_or_default()),
            published: short_time(n["published"].as_str().unwrap_or_default()),
            html: content_html(n),
        })
        .collect()
}

/// An RFC 3339 time to the minute, as pages show it (`2026-12-04 20:02`).
pub fn short_time(t: &str) -> String {
    t.chars().take(16).collect::<String>().replace('T', " ")
}

/// What the signed-in person may do on the tracker `r` (public or not).
async fn rights(state: &AppState, chrome: &Chrome, r: &ActorRef, public: bool) -> Result<Rights> {
    let Some(user) = &chrome.user else {
        return Ok(Rights::default());
    };
    let held = grant_of::mine(state, user, &state.urls.actor(r)).await?;
    Ok(Rights {
        comment: public || grant_of::allows(&held, Role::Report),
        triage: grant_of::allows(&held, Role::Triage),
        write: grant_of::allows(&held, Role::Write),
    })
}
