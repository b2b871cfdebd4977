//! The PatchTracker's reads of its merge requests' reviews (`GetReviewPart`): the reviews
//! collection, a Review, a ReviewThread, a thread's comments and one of them, the
//! `individualApprovals` collection and an Approval. Documents are built by
//! `data::review_documents`; everything a merge request lacks is NotFound.

use crate::activities::merge_requests::review_comment;
use crate::actor::state::ActorCore;
use crate::base::error::{ActorError, Result};
use crate::data::review_documents as docs;
use crate::data::{merge_requests, reviews};
use crate::kinds::patch_tracker::PatchTracker;
use crate::urls::ThreadId;
use actix::prelude::*;
use serde_json::Value;

/// What to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewRead {
    /// `{mr}/reviews`: the Reviews of merge request n, oldest first.
    Reviews(u64),
    /// `{mr}/reviews/{r}`.
    Review(u64, u64),
    /// `{review}/threads/{t}`.
    Thread(ThreadId),
    /// `{thread}/replies`: its Notes, oldest first.
    Replies(ThreadId),
    /// `{thread}/comments/{seq}`.
    Comment(ThreadId, u64),
    /// `{mr}/approvals`: newest change first.
    Approvals(u64),
    /// `{mr}/approvals/{a}`.
    Approval(u64, u64),
}

/// A review document or collection (or one of its pages).
#[derive(Message)]
#[rtype(result = "Result<Value>")]
pub struct GetReviewPart {
    pub read: ReviewRead,
    pub page: Option<u64>,
}

fn missing(what: String) -> ActorError {
    ActorError::NotFound(what)
}

/// Merge request `n`, or NotFound.
fn merge_request(core: &ActorCore, n: u64) -> Result<()> {
    match merge_requests::load(core, n)? {
        Some(_) => Ok(()),
        None => Err(missing(format!("merge request {n}"))),
    }
}

/// A thread, or NotFound.
fn thread(core: &ActorCore, id: ThreadId) -> Result<reviews::ThreadRecord> {
    reviews::thread(core, id)?.ok_or_else(|| missing(format!("review thread {}", id.t)))
}

fn read(core: &ActorCore, read: ReviewRead, page: Option<u64>) -> Result<Value> {
    let urls = &core.env.urls;
    let of_items = crate::base::paging::of_items;
    match read {
        ReviewRead::Reviews(n) => {
            merge_request(core, n)?;
            of_items(
                &urls.mr_reviews(&core.r, n),
                docs::review_items(core, n)?,
                page,
            )
        }
        ReviewRead::Review(n, r) => {
            let record = reviews::review(core, n, r)?;
            let record = record.ok_or_else(|| missing(format!("review {r} of {n}")))?;
            docs::review_document(core, n, &record)
        }
        ReviewRead::Thread(id) => Ok(docs::thread_document(core, &thread(core, id)?)),
        ReviewRead::Replies(id) => {
            thread(core, id)?;
            let items = docs::comment_items(core, id)?;
            of_items(&urls.mr_thread_replies(&core.r, id), items, page)
        }
        ReviewRead::Comment(id, seq) => review_comment::get(core, id, seq)?
            .ok_or_else(|| missing(format!("comment {seq} of review thread {}", id.t))),
        ReviewRead::Approvals(n) => {
            merge_request(core, n)?;
            of_items(
                &urls.mr_approvals(&core.r, n),
                docs::approval_items(core, n)?,
                page,
            )
        }
        ReviewRead::Approval(n, a) => {
            let record = reviews::approval(core, n, a)?;
            let record = record.ok_or_else(|| missing(format!("approval {a} of {n}")))?;
            Ok(docs::approval_document(core, n, &record))
        }
    }
}

impl Handler<GetReviewPart> for PatchTracker {
    type Result = Result<Value>;
    fn handle(&mut self, msg: GetReviewPart, _: &mut Self::Context) -> Self::Result {
        read(&self.core, msg.read, msg.page)
    }
}
