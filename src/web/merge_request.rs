//! The merge request page, the HTML face of `/patch-trackers/{id}/merge-requests/{n}`
//! (`http::tickets` calls [`show`] when the request wants HTML): its title, state (open,
//! closed, or merged with its merge commit), author, source and target branches, description
//! (sanitized as a ticket's), the commits and diff of its latest version (the local target
//! repository's comparison `<target branch>...refs/merge-requests/{n}/v{latest}`, through
//! `http::compare::kept_comparison`, shown as the commit page shows a diff) and its
//! discussion as the ticket page shows it.

use super::form_guard::actor_label;
use super::page::{chrome, render, Chrome};
use super::repo::diff_view::{diff_view, DiffView};
use super::ticket::{comment_views, content_html, CommentView};
use crate::error::{Error, Result};
use crate::http::compare::kept_comparison;
use crate::http::repo_access::read_repo;
use crate::http::state::AppState;
use actix_web::{HttpRequest, HttpResponse};
use actors::browse::compare::{CommitSummary, Comparison};
use actors::kinds::ticket_list::GetTicketThread;
use actors::patch_tracker::PatchTracker;
use askama::Template;
use serde_json::Value;

#[derive(Template)]
#[template(path = "tickets/merge_request.html")]
struct MergeRequestPage {
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
    state: &'static str,
    merge_commit: String,
    origin: String,
    target: String,
    /// Why the latest version's commits are not shown, if they are not.
    no_diff: String,
    commits: Vec<CommitSummary>,
    diff: DiffView,
    comments: Vec<CommentView>,
    may_comment: bool,
    /// Whether these pages have a comment form at all (a sign-in hint otherwise).
    commentable: bool,
}

/// `repo` (a path when local) and the branch of a ForgeFed branch or repository IRI.
fn branch_label(state: &AppState, b: &Value) -> String {
    match b {
        Value::String(repo) => actor_label(state, repo),
        _ => format!(
            "{} {}",
            actor_label(state, b["context"].as_str().unwrap_or_default()),
            b["name"].as_str().unwrap_or_default()
        ),
    }
}

/// The comparison of merge request `n`'s latest version in its local target repository.
async fn latest_comparison(
    state: &AppState,
    req: &HttpRequest,
    doc: &Value,
    n: u64,
) -> Result<Comparison> {
    let offer = &doc["attachment"];
    let version = offer["object"]["id"]
        .as_str()
        .and_then(|v| v.rsplit('/').next());
    let v = version.ok_or_else(|| Error::NotFound("no version yet".into()))?;
    let target = &offer["target"];
    let repo = target["context"]
        .as_str()
        .or(target.as_str())
        .unwrap_or_default();
    let r = (url::Url::parse(repo).ok())
        .and_then(|u| state.urls.parse_actor(&u))
        .ok_or_else(|| Error::NotFound("the target repository is not here".into()))?;
    let opened = super::repo::access::open_ref(state, req, r).await?;
    let base = target["name"].as_str().unwrap_or("HEAD").to_string();
    let head = format!("refs/merge-requests/{n}/v{v}");
    let answers = state.repos.answers();
    let dir = opened.readable.dir.clone();
    let place = dir.display().to_string();
    read_repo(state, dir, move |repo| {
        kept_comparison(repo, &answers, &place, (&base, &head))
    })
    .await
}

/// The page of merge request `number` of the local PatchTracker `id`.
pub async fn show(
    state: &AppState,
    req: &HttpRequest,
    id: &str,
    number: u64,
) -> Result<HttpResponse> {
    let r = crate::http::outbox::actor_from_path(state, req, "patch-trackers", id)?;
    let chrome = chrome(state, req)?;
    let addr = state.registry.get::<PatchTracker>(id).await?;
    let (doc, notes) = (addr.send(GetTicketThread { number }).await)
        .map_err(actors::ActorError::from)?
        .map_err(|e| match e {
            actors::ActorError::NotFound(what) => Error::NotFound(format!("no {what} here")),
            other => other.into(),
        })?;
    let tracker = state.registry.document(&r).await?;
    let text = |k: &str| doc[k].as_str().unwrap_or_default().to_string();
    let (no_diff, commits, diff) = match latest_comparison(state, req, &doc, number).await {
        Ok(c) => (String::new(), c.commits.clone(), diff_view(&c.diff)),
        Err(e) => (e.to_string(), Vec::new(), DiffView::default()),
    };
    let state_name = match (doc["isMerged"] == true, doc["isResolved"] == true) {
        (true, _) => "merged",
        (false, true) => "closed",
        _ => "open",
    };
    render(&MergeRequestPage {
        chrome,
        tracker_path: state.urls.actor(&r).path().to_string(),
        tracker_name: tracker.name.unwrap_or_else(|| r.id.clone()),
        path: state.urls.ticket(&r, number).path().to_string(),
        number,
        summary: text("summary"),
        author: actor_label(state, &text("attributedTo")),
        published: text("published").chars().take(10).collect(),
        html: content_html(&doc),
        state: state_name,
        merge_commit: text("mergeCommit"),
        origin: branch_label(state, &doc["attachment"]["origin"]),
        target: branch_label(state, &doc["attachment"]["target"]),
        no_diff,
        commits,
        diff,
        comments: comment_views(state, &notes),
        may_comment: false,
        commentable: false,
    })
}
