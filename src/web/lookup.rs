//! The look-up page, `GET /lookup?q=`: a signed-in person pastes an actor IRI or a
//! `user@host` handle; this instance fetches it (`federation::lookup`: WebFinger, then a signed
//! GET by the instance actor) and shows it with what may be done from here: Follow, Star (a
//! repository or project), "Open an issue" (a TicketTracker, or a repository whose
//! `ticketsTrackedBy` names one), for a repository the clone commands, and for a Factory the
//! person holds `write` on its creating forms, for a repository the Fork button (`fork_forms`);
//! a Ticket with its discussion, and for a merge request its source, target and commits
//! (`mr_open_remote`). The forms are `lookup_forms`; `&sent=<activity>` shows the answer to the last one. An IRI of this
//! instance goes to its own page. Without a query, the page lists what the person does
//! elsewhere (`remote_summary`).

use super::error_page::PageResult;
use super::form_guard::{actor_label, local_path};
use super::grant_of;
use super::mr_open_remote::RemoteMr;
use super::page::{chrome, redirect_see_other, render, Chrome};
use super::remote_summary::{remote_for, RemoteSummary};
use super::session;
use super::ticket::{content_html, CommentView};
use crate::error::{Error, Result};
use crate::federation::lookup;
use crate::http::state::AppState;
use actix_web::{web, HttpRequest};
use askama::Template;
use schema::Role;
use serde::Deserialize;
use serde_json::Value;
use url::Url;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/lookup", web::get().to(page));
}

/// A fetched actor or object as the page shows it.
#[derive(Default)]
pub struct Found {
    pub iri: String,
    pub kind: String,
    pub name: String,
    pub summary: String,
    /// Sanitized HTML (a Ticket's or a Note's content).
    pub html: String,
    pub clone_uri: String,
    pub push_uri: String,
    /// The tracker "Open an issue" offers to (empty: none).
    pub tracker: String,
    pub may_star: bool,
    pub may_follow: bool,
    /// A Ticket's state ("open", "closed"; "" for anything else).
    pub state: String,
    /// The role the person holds on it ("" for none).
    pub role: String,
    /// What a Factory creates, when the person may use it (`write` or more).
    pub types: Vec<String>,
    /// A Ticket's discussion (its first page), as far as it could be fetched.
    pub comments: Vec<CommentView>,
    /// What a merge request (a Ticket with an Offer attachment) proposes.
    pub mr: Option<RemoteMr>,
}

#[derive(Template)]
#[template(path = "remote/lookup.html")]
struct LookupPage {
    chrome: Chrome,
    q: String,
    found: Option<Found>,
    error: String,
    sent: String,
    /// What the person does elsewhere (shown when nothing is looked up).
    remote: RemoteSummary,
}

#[derive(Deserialize)]
struct LookupQuery {
    #[serde(default)]
    q: String,
    sent: Option<String>,
}

/// Reads a fetched document into what the page shows.
pub fn found(doc: &Value) -> Found {
    let text = |k: &str| doc[k].as_str().unwrap_or_default().to_string();
    let kind = text("type");
    let name = [text("name"), text("preferredUsername"), text("summary")]
        .into_iter()
        .find(|n| !n.is_empty())
        .unwrap_or_else(|| text("id"));
    let tracker = match kind.as_str() {
        "TicketTracker" => text("id"),
        _ => text("ticketsTrackedBy"),
    };
    let is_actor = doc.get("inbox").is_some();
    let kind_is_ticket = kind == "Ticket";
    Found {
        iri: text("id"),
        may_star: matches!(kind.as_str(), "Repository" | "Project"),
        may_follow: is_actor,
        html: match kind.as_str() {
            "Ticket" | "Note" => content_html(doc),
            _ => String::new(),
        },
        summary: if kind == "Ticket" {
            String::new()
        } else {
            text("summary")
        },
        clone_uri: text("cloneUri"),
        push_uri: text("pushUri"),
        state: match (kind.as_str(), doc["isResolved"].as_bool()) {
            ("Ticket", _) if doc["isMerged"] == true => "merged".into(),
            ("Ticket", Some(true)) => "closed".into(),
            ("Ticket", _) => "open".into(),
            _ => String::new(),
        },
        kind,
        name,
        tracker,
        role: String::new(),
        types: Vec::new(),
        comments: Vec::new(),
        mr: match kind_is_ticket {
            true => super::mr_open_remote::of(doc),
            false => None,
        },
    }
}

async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<LookupQuery>,
) -> PageResult {
    let user = session::require_signed_in(&state, &req)?;
    let chrome = chrome(&state, &req)?;
    let q = query.q.trim().to_string();
    let (mut found, mut error) = (None, String::new());
    if !q.is_empty() {
        let limited = |wait| crate::http::account_limits::limited(user.clone(), wait);
        state.lookups.take(&user).map_err(limited)?;
        match fetch(&state, &q).await {
            Ok(Fetched::Local(path)) => return Ok(redirect_see_other(&path)),
            Ok(Fetched::Remote(doc)) => {
                let mut f = self::found(&doc);
                if let Ok(iri) = Url::parse(&f.iri) {
                    let held = grant_of::mine(&state, &user, &iri).await?;
                    if held.as_ref().is_some_and(|g| g.role >= Role::Write) && f.kind == "Factory" {
                        f.types = factory_types(&doc);
                    }
                    f.role = held
                        .map(|g| g.role.as_str().to_string())
                        .unwrap_or_default();
                }
                if f.kind == "Ticket" {
                    f.comments = discussion(&state, &doc).await;
                }
                // The diff's host may be blocked even when the ticket's is not.
                let open_diff = |m: &&mut super::mr_open_remote::RemoteMr| {
                    m.commits.is_empty() && refuse_blocked(&state, &m.diff).is_ok()
                };
                if let Some(m) = f.mr.as_mut().filter(open_diff) {
                    m.commits = super::mr_open_remote::diff_commits(&state, &m.diff).await;
                }
                found = Some(f);
            }
            Err(e) => error = shown_error(&e),
        }
    }
    let sent = sent_text(&state, &user, query.sent.as_deref()).await?;
    let remote = match q.is_empty() {
        true => RemoteSummary {
            link_lookup: false,
            ..remote_for(&state, &user).await?
        },
        false => RemoteSummary::default(),
    };
    Ok(render(&LookupPage {
        chrome,
        q,
        found,
        error,
        sent,
        remote,
    })?)
}

/// The first page of a fetched Ticket's `replies` (its discussion): the embedded Notes, their
/// content sanitized. Empty when it cannot be fetched (the ticket is still shown).
async fn discussion(state: &AppState, ticket: &Value) -> Vec<CommentView> {
    let fetcher = &state.federation.fetcher;
    let Some(Ok(replies)) = ticket["replies"].as_str().map(Url::parse) else {
        return Vec::new();
    };
    let Ok(mut page) = fetcher.fetch_json(&replies).await else {
        return Vec::new();
    };
    if let Some(Ok(first)) = page["first"].as_str().map(Url::parse) {
        match fetcher.fetch_json(&first).await {
            Ok(p) => page = p,
            Err(_) => return Vec::new(),
        }
    }
    let items = page["orderedItems"].as_array().cloned().unwrap_or_default();
    (items.iter().filter(|n| n.is_object()))
        .map(|n| CommentView {
            author: actor_label(state, n["attributedTo"].as_str().unwrap_or_default()),
            published: n["published"]
                .as_str()
                .unwrap_or_default()
                .chars()
                .take(10)
                .collect(),
            html: content_html(n),
        })
        .collect()
}

/// The types a fetched Factory document creates.
fn factory_types(doc: &Value) -> Vec<String> {
    let types = match &doc["availableActorTypes"] {
        Value::Array(items) => items.clone(),
        Value::String(one) => vec![Value::from(one.as_str())],
        _ => Vec::new(),
    };
    types
        .iter()
        .filter_map(|t| t.as_str().map(str::to_string))
        .collect()
}

enum Fetched {
    Local(String),
    Remote(Value),
}

/// The document a query names: this instance's own page, or the fetched remote document.
async fn fetch(state: &AppState, q: &str) -> Result<Fetched> {
    let fetcher = &state.federation.fetcher;
    let query = lookup::parse(q)?;
    if let lookup::Query::Handle { host, .. } = &query {
        refuse_blocked(state, &format!("https://{host}/"))?;
    }
    let iri = lookup::actor_iri(fetcher, &query).await?;
    if iri.origin() == state.settings.public_url.origin() {
        return Ok(Fetched::Local(local_path(state, iri.as_str())));
    }
    refuse_blocked(state, iri.as_str())?;
    Ok(Fetched::Remote(fetcher.fetch_json(&iri).await?))
}

/// A remote document fetched for `user` as this page fetches one: counted against their
/// look-ups, never from a blocked host or actor.
pub async fn fetch_for(state: &AppState, user: &str, iri: &Url) -> Result<Value> {
    let limited = |wait| crate::http::account_limits::limited(user.to_string(), wait);
    state.lookups.take(user).map_err(limited)?;
    refuse_blocked(state, iri.as_str())?;
    state.federation.fetcher.fetch_json(iri).await
}

/// Nothing is fetched from a blocked host or actor (`[federation] blocks`, the admin's blocks).
fn refuse_blocked(state: &AppState, iri: &str) -> Result<()> {
    let blocked = Url::parse(iri).is_ok_and(|u| state.federation.blocks.blocked(&u));
    match blocked {
        true => Err(Error::Forbidden(format!(
            "{iri} is blocked on this instance"
        ))),
        false => Ok(()),
    }
}

/// What the page says of a failed look-up: the reason for what the person typed wrong or what
/// is blocked, but nothing of the fetcher's view of the network (addresses, resolution).
pub fn shown_error(e: &Error) -> String {
    match e {
        Error::BadRequest(_) | Error::NotFound(_) => e.to_string(),
        Error::Forbidden(m) if m.ends_with("is blocked on this instance") => e.to_string(),
        _ => "could not fetch that address".to_string(),
    }
}

/// What became of the activity `sent` names, as a sentence.
pub async fn sent_text(state: &AppState, user: &str, sent: Option<&str>) -> Result<String> {
    match sent {
        Some(sent) => super::answers::outcome(state, user, sent).await,
        None => Ok(String::new()),
    }
}
