//! The merge request page, the HTML face of `/patch-trackers/{id}/merge-requests/{n}`
//! (`http::tickets` calls [`show`] when the request wants HTML): its title, state (open,
//! closed, or merged with its merge commit), author, source and target branches, description
//! (sanitized as a ticket's), its versions (`?version=N` shows an older one), the commits of
//! the version shown (linked to the target repository's commit pages) and its diff with the
//! review threads beside their lines (`mr_diff`, `mr_reviews`), the reviews, and its
//! discussion as the ticket page shows it (`ticket::load`). For the signed-in person, what
//! they may do (`mr_forms`): comment, review, comment on a line of the latest version
//! (`?line=` opens the form under it), reply; with `write` resolve threads, dismiss reviews
//! and merge; with `triage` close and reopen. `?sent=` shows the answer to a form's activity
//! (a Reject's reason).

use super::form_guard::actor_label;
use super::mr_diff::{self, MrDiff};
use super::mr_reviews::{self, ReviewView};
use super::page::{render, Chrome};
use super::ticket::{load, Rights, TicketHead};
use crate::error::Result;
use crate::http::state::AppState;
use actix_web::{HttpRequest, HttpResponse};
use actors::browse::compare::CommitSummary;
use actors::patch_tracker::PatchTracker;
use askama::Template;
use serde::Deserialize;
use serde_json::Value;

/// One version in the list of versions.
pub struct VersionLink {
    pub v: u64,
    pub shown: bool,
}

/// One commit of the version shown, with its page in the target repository.
pub struct CommitLink {
    pub c: CommitSummary,
    pub path: String,
}

#[derive(Template)]
#[template(path = "tickets/merge_request.html")]
struct MergeRequestPage {
    chrome: Chrome,
    t: TicketHead,
    state: &'static str,
    merge_commit: String,
    origin: String,
    target: String,
    versions: Vec<VersionLink>,
    /// The version shown (0: none yet) and whether it is the latest.
    shown: u64,
    latest: bool,
    /// Why the version's commits are not shown, if they are not.
    no_diff: String,
    commits: Vec<CommitLink>,
    diff: MrDiff,
    reviews: Vec<ReviewView>,
    rights: Rights,
    /// Whether the person may review, comment on lines and merge now (open, a version).
    may_review: bool,
    may_merge: bool,
    /// The tracker's last git refusal and the answer to `?sent=`.
    refusal: String,
    answer: String,
}

#[derive(Deserialize, Default)]
struct PageQuery {
    version: Option<u64>,
    #[serde(default)]
    line: String,
    sent: Option<String>,
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

/// The number of the latest version of a merge request document (0: none yet).
pub fn latest_version(doc: &Value) -> u64 {
    let id = doc["attachment"]["object"]["id"]
        .as_str()
        .unwrap_or_default();
    id.rsplit('/')
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn state_name(doc: &Value) -> &'static str {
    match (doc["isMerged"] == true, doc["isResolved"] == true) {
        (true, _) => "merged",
        (false, true) => "closed",
        _ => "open",
    }
}

/// The commits and diff of version `v`, or why they are not shown.
async fn changes(
    state: &AppState,
    req: &HttpRequest,
    doc: &Value,
    (n, v): (u64, u64),
    threads: Vec<mr_reviews::ThreadView>,
    open: &str,
) -> (String, Vec<CommitLink>, MrDiff) {
    if v == 0 {
        return ("no version yet".into(), Vec::new(), mr_diff::none(threads));
    }
    match mr_diff::comparison(state, req, doc, n, v).await {
        Ok((repo, c)) => {
            let commits = (c.commits.iter().cloned())
                .map(|c| CommitLink {
                    path: state.urls.commit(&repo, &c.hash).path().to_string(),
                    c,
                })
                .collect();
            (
                String::new(),
                commits,
                mr_diff::build(&c.diff, threads, open),
            )
        }
        Err(e) => (e.to_string(), Vec::new(), mr_diff::none(threads)),
    }
}

/// The page of merge request `number` of the local PatchTracker `id`.
pub async fn show(
    state: &AppState,
    req: &HttpRequest,
    id: &str,
    number: u64,
) -> Result<HttpResponse> {
    let q = actix_web::web::Query::<PageQuery>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default();
    let l = load::<PatchTracker>(state, req, id, number).await?;
    let doc = &l.doc;
    let last = latest_version(doc);
    let shown = q.version.filter(|v| (1..=last).contains(v)).unwrap_or(last);
    let open = state_name(doc) == "open";
    let may_review = l.rights.comment && open && last > 0;
    let found = mr_reviews::read(state, id, number, l.rights.write).await?;
    let line = if may_review && shown == last {
        q.line.as_str()
    } else {
        ""
    };
    let (no_diff, commits, diff) =
        changes(state, req, doc, (number, shown), found.threads, line).await;
    let fetched = doc["attachment"]["object"]["target"]["hash"].is_string();
    let answer = match (&l.chrome.user, q.sent.as_deref()) {
        (Some(user), Some(sent)) => super::answers::outcome(state, user, sent).await?,
        _ => String::new(),
    };
    let text = |k: &str| doc[k].as_str().unwrap_or_default().to_string();
    render(&MergeRequestPage {
        state: state_name(doc),
        merge_commit: text("mergeCommit"),
        origin: branch_label(state, &doc["attachment"]["origin"]),
        target: branch_label(state, &doc["attachment"]["target"]),
        versions: (1..=last)
            .map(|v| VersionLink {
                v,
                shown: v == shown,
            })
            .collect(),
        shown,
        latest: shown == last,
        no_diff,
        commits,
        diff,
        reviews: found.reviews,
        may_review,
        may_merge: l.rights.write && open && fetched,
        rights: l.rights,
        refusal: text("gitRefusal"),
        answer,
        chrome: l.chrome,
        t: l.head,
    })
}
