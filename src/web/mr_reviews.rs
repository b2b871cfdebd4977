//! What the merge request page shows of its reviews, read from the PatchTracker
//! (`GetReviewPart`, the documents `http::reviews` serves): each Review (who, verdict, when,
//! its summary, whether its Approval was dismissed since) and each ReviewThread (its
//! CodeQuote, resolved or not, its comments oldest first), for `mr_diff` to place beside the
//! diff's lines.

use super::form_guard::{actor_label, local_path};
use super::ticket::{comment_views, content_html, short_time, CommentView};
use crate::error::{Error, Result};
use crate::http::state::AppState;
use actix::Addr;
use actors::kinds::patch_tracker::PatchTracker;
use actors::kinds::patch_tracker_reviews::{GetReviewPart, ReviewRead};
use serde_json::Value;
use url::Url;

/// The most pages of one review collection the page reads (20 items a page).
const MAX_PAGES: u64 = 25;

/// One review as the page shows it.
pub struct ReviewView {
    pub author: String,
    pub published: String,
    /// `approve`, `revise` or `remark` (a CSS class too).
    pub verdict: String,
    /// What the verdict says: "approved", "requested changes", "commented".
    pub label: &'static str,
    pub binding: bool,
    /// Sanitized HTML of the summary comment ("" without one).
    pub html: String,
    pub dismissed: bool,
    /// The Approval IRI's local path, when this review is its person's standing verdict that
    /// a `write` holder may dismiss ("" otherwise).
    pub dismiss: String,
}

/// One review thread as the page shows it.
pub struct ThreadView {
    /// The thread IRI's local path (its forms post under it).
    pub path: String,
    /// An anchor for the thread (`thread-2-1`).
    pub anchor: String,
    /// Where it is: "src/main.c, line 3".
    pub label: String,
    pub file: String,
    /// The quoted line's key as `mr_diff` numbers rows: `n12` (new side), `o5` (old); ""
    /// for a whole file or a range.
    pub key: String,
    pub resolved: bool,
    pub resolved_by: String,
    pub comments: Vec<CommentView>,
}

/// The reviews and threads of a merge request.
#[derive(Default)]
pub struct Reviews {
    pub reviews: Vec<ReviewView>,
    pub threads: Vec<ThreadView>,
}

/// Every item of a review collection of merge request `read`, all pages.
async fn all_items(addr: &Addr<PatchTracker>, read: ReviewRead) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for page in 1..=MAX_PAGES {
        let doc = (addr.send(GetReviewPart {
            read,
            page: Some(page),
        }))
        .await
        .map_err(actors::ActorError::from)?
        .map_err(Error::not_here)?;
        out.extend(doc["orderedItems"].as_array().cloned().unwrap_or_default());
        if doc.get("next").is_none() {
            break;
        }
    }
    Ok(out)
}

fn verdict_label(verdict: &str) -> &'static str {
    match verdict {
        "approve" => "approved",
        "revise" => "requested changes",
        _ => "commented",
    }
}

/// The review `doc` as shown, given the merge request's Approvals.
fn review_view(state: &AppState, doc: &Value, approvals: &[Value], write: bool) -> ReviewView {
    let id = doc["id"].as_str().unwrap_or_default();
    let standing = approvals.iter().find(|a| a["attachment"] == id);
    let status = standing.and_then(|a| a["approvalStatus"].as_str());
    let verdict = doc["verdict"].as_str().unwrap_or_default().to_string();
    let dismissable = write && matches!(status, Some("approve" | "revise"));
    let dismiss = match standing.and_then(|a| a["id"].as_str()) {
        Some(a) if dismissable => local_path(state, a),
        _ => String::new(),
    };
    ReviewView {
        author: actor_label(state, doc["attributedTo"].as_str().unwrap_or_default()),
        published: short_time(doc["published"].as_str().unwrap_or_default()),
        label: verdict_label(&verdict),
        verdict,
        binding: doc["reviewIsBinding"] == true,
        html: match doc.get("attachment") {
            Some(note) if note.is_object() => content_html(note),
            _ => String::new(),
        },
        dismissed: status == Some("dismissed"),
        dismiss,
    }
}

/// Where a CodeQuote points: its label and its row key.
fn placed(quote: &Value) -> (String, String) {
    let file = quote["cqFile"].as_str().unwrap_or_default();
    let old = |k: &str| {
        quote[k]
            .as_str()
            .is_some_and(|s| s.ends_with("diffSideOld"))
    };
    match (quote["cqLine"].as_u64(), quote["cqStart"].as_u64()) {
        (Some(line), _) => {
            let (side, key) = match old("cqSide") {
                true => (" (old)", format!("o{line}")),
                false => ("", format!("n{line}")),
            };
            (format!("{file}, line {line}{side}"), key)
        }
        (None, Some(start)) => {
            let end = quote["cqEnd"].as_u64().unwrap_or(start);
            (format!("{file}, lines {start}–{end}"), String::new())
        }
        _ => (file.to_string(), String::new()),
    }
}

/// A thread embedded in a review, with its comments read from the tracker.
async fn thread_view(
    state: &AppState,
    addr: &Addr<PatchTracker>,
    doc: &Value,
) -> Result<Option<ThreadView>> {
    let iri = doc["id"].as_str().and_then(|s| Url::parse(s).ok());
    let Some((_, id)) = iri.as_ref().and_then(|u| state.urls.parse_mr_thread(u)) else {
        return Ok(None);
    };
    let notes = all_items(addr, ReviewRead::Replies(id)).await?;
    let (label, key) = placed(&doc["target"]);
    Ok(Some(ThreadView {
        path: local_path(state, doc["id"].as_str().unwrap_or_default()),
        anchor: format!("thread-{}-{}", id.r, id.t),
        label,
        file: doc["target"]["cqFile"].as_str().unwrap_or_default().into(),
        key,
        resolved: doc["isResolved"] == true,
        resolved_by: actor_label(state, doc["resolvedBy"].as_str().unwrap_or_default()),
        comments: comment_views(state, &notes),
    }))
}

/// The reviews and threads of merge request `n` of the tracker `id`; `write`: whether the
/// person may dismiss reviews.
pub async fn read(state: &AppState, id: &str, n: u64, write: bool) -> Result<Reviews> {
    let addr = state.registry.get::<PatchTracker>(id).await?;
    let approvals = all_items(&addr, ReviewRead::Approvals(n)).await?;
    let mut out = Reviews::default();
    for doc in all_items(&addr, ReviewRead::Reviews(n)).await? {
        out.reviews
            .push(review_view(state, &doc, &approvals, write));
        let threads = doc["reviewThreads"].as_array().cloned().unwrap_or_default();
        for t in &threads {
            out.threads.extend(thread_view(state, &addr, t).await?);
        }
    }
    Ok(out)
}
