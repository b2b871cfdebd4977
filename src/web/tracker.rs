//! The tracker page, the HTML face of `/trackers/{id}`: its tickets, open or closed or all
//! (`?state=open|closed|all`), a page at a time (`?page=N`, newest first: the tracker's
//! `ListTickets`), and the new-ticket form for whoever may open one (signed in, and the
//! tracker public or a `report` Grant held). The form posts to `ticket_forms`.

use super::form_guard::{actor_label, local_path};
use super::grant_of;
use super::page::{chrome, render, Chrome};
use crate::error::Result;
use crate::http::state::AppState;
use actix_web::{HttpRequest, HttpResponse};
use actors::kinds::ticket_list::{ListTickets, TicketState};
use actors::ticket_tracker::TicketTracker;
use actors::ActorRef;
use askama::Template;
use schema::Role;
use serde::Deserialize;
use serde_json::Value;

/// One ticket in a list.
pub struct TicketRow {
    pub number: u64,
    pub path: String,
    pub summary: String,
    pub author: String,
    pub published: String,
    pub resolved: bool,
    /// A merge request merged.
    pub merged: bool,
}

impl TicketRow {
    /// From a Ticket document.
    pub fn from_doc(state: &AppState, doc: &Value) -> TicketRow {
        let text = |k: &str| doc[k].as_str().unwrap_or_default().to_string();
        let id = text("id");
        TicketRow {
            number: id
                .rsplit('/')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0),
            path: local_path(state, &id),
            summary: text("summary"),
            author: actor_label(state, &text("attributedTo")),
            published: text("published").chars().take(10).collect(),
            resolved: doc["isResolved"] == true,
            merged: doc["isMerged"] == true,
        }
    }
}

#[derive(Template)]
#[template(path = "tickets/tracker.html")]
struct TrackerPage {
    chrome: Chrome,
    path: String,
    name: String,
    summary: String,
    public: bool,
    state: &'static str,
    open: u64,
    resolved: u64,
    page: u64,
    pages: u64,
    tickets: Vec<TicketRow>,
    may_open: bool,
    /// Its error box page, for its admins.
    errors: Option<String>,
}

/// A list page's query: `?state=open|closed|merged|all&page=N`.
#[derive(Deserialize)]
pub struct ListQuery {
    pub state: Option<String>,
    pub page: Option<u64>,
}

/// The list query of `req` (none when it does not parse).
pub fn list_query(req: &HttpRequest) -> ListQuery {
    actix_web::web::Query::<ListQuery>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or(ListQuery {
            state: None,
            page: None,
        })
}

/// The page of the stored local tracker `r`.
pub async fn show(state: &AppState, req: &HttpRequest, r: &ActorRef) -> Result<HttpResponse> {
    let chrome = chrome(state, req)?;
    let query = list_query(req);
    let which = TicketState::parse(query.state.as_deref());
    let page = query.page.unwrap_or(1).max(1);
    let doc = state.registry.document(r).await?;
    let public = doc.extra.get("public").and_then(Value::as_bool) != Some(false);
    let addr = state.registry.get::<TicketTracker>(&r.id).await?;
    let msg = ListTickets { state: which, page };
    let list = addr.send(msg).await.map_err(actors::ActorError::from)??;
    let may_open = match &chrome.user {
        Some(u) if public => !u.is_empty(),
        Some(u) => {
            let held = grant_of::mine(state, u, &state.urls.actor(r)).await?;
            grant_of::allows(&held, Role::Report)
        }
        None => false,
    };
    let errors = super::error_box::admin_link(state, chrome.user.as_deref(), r)?;
    render(&TrackerPage {
        chrome,
        path: state.urls.actor(r).path().to_string(),
        name: doc.name.unwrap_or_else(|| r.id.clone()),
        summary: doc.summary.unwrap_or_default(),
        public,
        state: which.as_str(),
        open: list.open,
        resolved: list.resolved,
        page: page.min(list.pages),
        pages: list.pages,
        tickets: list
            .items
            .iter()
            .map(|t| TicketRow::from_doc(state, t))
            .collect(),
        may_open,
        errors,
    })
}
