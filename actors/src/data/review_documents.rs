//! The documents of merge request reviews, as the PatchTracker serves them: `Review` (with its
//! `ReviewThread`s embedded), `ReviewThread`, `Approval`, the review collections of a merge
//! request, and what the merge request's own document gains (`add_to_merge_request`).

use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::data::reviews::{self, ApprovalRecord, ReviewRecord, ThreadRecord};
use crate::urls::ThreadId;
use serde_json::{json, Value};

/// A document's `@context`: ActivityStreams, security, ForgeFed.
fn context() -> Value {
    schema::context::default_context()
}

/// A thread as embedded in its Review (no `@context`).
pub fn thread_body(core: &ActorCore, t: &ThreadRecord) -> Value {
    let urls = &core.env.urls;
    let id: ThreadId = t.id.into();
    let mut doc = json!({
        "id": urls.mr_thread(&core.r, id),
        "type": "ReviewThread",
        "context": urls.mr_review(&core.r, id.n, id.r),
        "target": t.quote,
        "object": t.top,
        "isResolved": t.resolution.is_some(),
        "replies": urls.mr_thread_replies(&core.r, id),
    });
    if let Some(r) = &t.resolution {
        doc["resolvedBy"] = json!(r.by);
        doc["resolved"] = json!(r.at);
    }
    doc
}

/// The ReviewThread document.
pub fn thread_document(core: &ActorCore, t: &ThreadRecord) -> Value {
    let mut doc = thread_body(core, t);
    doc["@context"] = context();
    doc
}

/// A Review as listed (no `@context`), its threads embedded.
pub fn review_body(core: &ActorCore, n: u64, r: &ReviewRecord) -> Result<Value> {
    let urls = &core.env.urls;
    let threads: Vec<Value> = reviews::threads(core, n, r.number)?
        .iter()
        .map(|t| thread_body(core, t))
        .collect();
    let mut doc = json!({
        "id": urls.mr_review(&core.r, n, r.number),
        "type": "Review",
        "context": urls.ticket(&core.r, n),
        "attributedTo": r.author,
        "published": r.published,
        "verdict": r.verdict,
        "reviewIsBinding": r.binding,
        "object": r.version,
        "reviewThreads": threads,
    });
    if let Some(summary) = &r.summary {
        doc["attachment"] = summary.clone();
    }
    Ok(doc)
}

/// The Review document.
pub fn review_document(core: &ActorCore, n: u64, r: &ReviewRecord) -> Result<Value> {
    let mut doc = review_body(core, n, r)?;
    doc["@context"] = context();
    Ok(doc)
}

/// An Approval as listed (no `@context`).
pub fn approval_body(core: &ActorCore, n: u64, a: &ApprovalRecord) -> Value {
    let urls = &core.env.urls;
    json!({
        "id": urls.mr_approval(&core.r, n, a.number),
        "type": "Approval",
        "context": urls.ticket(&core.r, n),
        "attributedTo": a.person,
        "published": a.published,
        "updated": a.updated,
        "approvalStatus": a.status,
        "reviewIsBinding": a.binding,
        "reviewIsRequested": false,
        "attachment": a.review,
    })
}

/// The Approval document.
pub fn approval_document(core: &ActorCore, n: u64, a: &ApprovalRecord) -> Value {
    let mut doc = approval_body(core, n, a);
    doc["@context"] = context();
    doc
}

/// The items of merge request `n`'s reviews collection: its Reviews, oldest first.
pub fn review_items(core: &ActorCore, n: u64) -> Result<Vec<Value>> {
    reviews::reviews(core, n)?
        .iter()
        .map(|r| review_body(core, n, r))
        .collect()
}

/// The items of merge request `n`'s `individualApprovals`: newest change first.
pub fn approval_items(core: &ActorCore, n: u64) -> Result<Vec<Value>> {
    let mut all = reviews::approvals(core, n)?;
    all.sort_by(|a, b| b.updated.cmp(&a.updated).then(b.number.cmp(&a.number)));
    Ok(all.iter().map(|a| approval_body(core, n, a)).collect())
}

/// The items of a thread's comments collection: its Notes, oldest first (the top one first).
pub fn comment_items(core: &ActorCore, id: ThreadId) -> Result<Vec<Value>> {
    Ok(reviews::comments(core, id)?
        .into_iter()
        .map(|(_, c)| c.note)
        .collect())
}

/// What a merge request's document (`doc`, the Ticket with its `Offer` attachment) gains: the
/// attachment's `individualApprovals` (ForgeFed) and the Ticket's `reviews` (Orchard's term),
/// Orchard's context appended to `@context` for it.
pub fn add_to_merge_request(core: &ActorCore, n: u64, doc: &mut Value) {
    let urls = &core.env.urls;
    if doc["attachment"].is_object() {
        doc["attachment"]["individualApprovals"] = json!(urls.mr_approvals(&core.r, n));
    }
    doc["reviews"] = json!(urls.mr_reviews(&core.r, n));
    let orchard = json!(urls.orchard_context());
    let ctx = doc.get("@context").cloned().unwrap_or(Value::Null);
    let has = ctx == orchard || ctx.as_array().is_some_and(|a| a.contains(&orchard));
    if !has {
        doc["@context"] = crate::urls::vocabulary::with_orchard_context(urls, ctx);
    }
}
