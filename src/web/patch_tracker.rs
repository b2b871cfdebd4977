//! The PatchTracker page, the HTML face of `/patch-trackers/{id}`: its name, the repositories it
//! tracks patches for (`tracksPatchesFor`), and its merge requests, open or closed or merged or
//! all (`?state=open|closed|merged|all`), a page at a time (`?page=N`, newest first: the
//! tracker's `ListTickets`), listed as the tracker page lists tickets.

use super::form_guard::local_path;
use super::page::{chrome, render, Chrome};
use super::tracker::{list_query, TicketRow};
use crate::error::Result;
use crate::http::state::AppState;
use actix_web::{HttpRequest, HttpResponse};
use actors::kinds::ticket_list::{ListTickets, TicketState};
use actors::patch_tracker::PatchTracker;
use actors::ActorRef;
use askama::Template;
use serde_json::Value;

/// A repository the tracker is linked to: its page path (local) or IRI, and its IRI.
pub struct Tracked {
    pub path: String,
    pub iri: String,
}

#[derive(Template)]
#[template(path = "tickets/patch_tracker.html")]
struct PatchTrackerPage {
    chrome: Chrome,
    path: String,
    name: String,
    summary: String,
    public: bool,
    repos: Vec<Tracked>,
    state: &'static str,
    open: u64,
    resolved: u64,
    merged: u64,
    page: u64,
    pages: u64,
    tickets: Vec<TicketRow>,
    /// Its error box page, for its admins.
    errors: Option<String>,
}

/// The page of the stored local PatchTracker `r`.
pub async fn show(state: &AppState, req: &HttpRequest, r: &ActorRef) -> Result<HttpResponse> {
    let chrome = chrome(state, req)?;
    let query = list_query(req);
    let which = TicketState::parse(query.state.as_deref());
    let page = query.page.unwrap_or(1).max(1);
    let doc = state.registry.document(r).await?;
    let public = doc.extra.get("public").and_then(Value::as_bool) != Some(false);
    let repos = (doc.extra.get("tracksPatchesFor").and_then(Value::as_array))
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|iri| Tracked {
            path: local_path(state, iri),
            iri: iri.to_string(),
        })
        .collect();
    let addr = state.registry.get::<PatchTracker>(&r.id).await?;
    let msg = ListTickets { state: which, page };
    let list = addr.send(msg).await.map_err(actors::ActorError::from)??;
    let errors = super::error_box::admin_link(state, chrome.user.as_deref(), r)?;
    render(&PatchTrackerPage {
        chrome,
        path: state.urls.actor(r).path().to_string(),
        name: doc.name.unwrap_or_else(|| r.id.clone()),
        summary: doc.summary.unwrap_or_default(),
        public,
        repos,
        state: which.as_str(),
        open: list.open,
        resolved: list.resolved - list.merged,
        merged: list.merged,
        page: page.min(list.pages),
        pages: list.pages,
        tickets: (list.items.iter())
            .map(|t| TicketRow::from_doc(state, t))
            .collect(),
        errors,
    })
}
