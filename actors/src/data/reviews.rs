//! The reviews of a PatchTracker's merge requests, as stored in its tree: reviews (a verdict on
//! one version), their threads (a CodeQuote, a top comment, replies, resolved or not) and one
//! `Approval` per reviewer (their latest verdict, or dismissed). The handlers are
//! `activities::merge_requests::review*`; the documents `data::review_documents`.
//!
//! Keys (`storage::layout`): `review 0xFF <n> <r>` -> `ReviewRecord`; `review-thread 0xFF <n>
//! <r> <t>` -> `ThreadRecord`; `thread-comment 0xFF <n> <r> <t> <seq>` -> `Comment` (seq 1 is
//! the top comment); `approval 0xFF <n> <a>` -> `ApprovalRecord`; `review-offer 0xFF <offer
//! id>` -> `<n> <r>`. Numbers are big-endian u64 from 1, so keys sort in their order.

use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::data::tickets::{Comment, Resolution};
use crate::storage::codec;
use crate::storage::layout::{self, APPROVAL, REVIEW, REVIEW_OFFER, REVIEW_THREAD, THREAD_COMMENT};
use crate::urls::ThreadId;
use schema::ReviewStatus;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

/// One review, as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReviewRecord {
    pub number: u64,
    pub author: String,
    pub verdict: ReviewStatus,
    pub binding: bool,
    /// The IRI of the version of the merge request reviewed.
    pub version: String,
    /// The summary comment: an embedded Note (without `@context`) or its IRI.
    #[serde(default)]
    pub summary: Option<Value>,
    /// The Offer that submitted it.
    pub offer: String,
    pub published: String,
    /// Its threads are numbered 1 to `threads`.
    pub threads: u64,
}

/// One review thread, as stored; its Notes are `thread-comment`s.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ThreadRecord {
    pub id: ThreadKey,
    /// The CodeQuote, as served.
    pub quote: Value,
    /// The IRI of its top comment.
    pub top: String,
    #[serde(default)]
    pub resolution: Option<Resolution>,
}

/// `ThreadId` as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadKey {
    pub n: u64,
    pub r: u64,
    pub t: u64,
}

impl From<ThreadKey> for ThreadId {
    fn from(k: ThreadKey) -> ThreadId {
        ThreadId {
            n: k.n,
            r: k.r,
            t: k.t,
        }
    }
}

impl From<ThreadId> for ThreadKey {
    fn from(k: ThreadId) -> ThreadKey {
        ThreadKey {
            n: k.n,
            r: k.r,
            t: k.t,
        }
    }
}

/// One person's review status on a merge request (an individual `Approval`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApprovalRecord {
    pub number: u64,
    pub person: String,
    pub status: ReviewStatus,
    pub binding: bool,
    /// The IRI of their last review.
    pub review: String,
    pub published: String,
    pub updated: String,
}

/// A key `<collection> 0xFF` followed by big-endian numbers.
fn key(collection: &str, numbers: &[u64]) -> Vec<u8> {
    let rest: Vec<u8> = numbers.iter().flat_map(|n| n.to_be_bytes()).collect();
    layout::key(collection, &rest)
}

fn thread_numbers(id: ThreadId) -> [u64; 3] {
    [id.n, id.r, id.t]
}

fn get<T: DeserializeOwned>(core: &ActorCore, key: Vec<u8>) -> Result<Option<T>> {
    match core.tree.get(key)? {
        Some(v) => Ok(Some(codec::decode(&v)?)),
        None => Ok(None),
    }
}

/// Every value under a prefix, in key order, with the last number of its key.
fn under<T: DeserializeOwned>(core: &ActorCore, prefix: Vec<u8>) -> Result<Vec<(u64, T)>> {
    let mut out = Vec::new();
    for entry in core.tree.scan_prefix(&prefix) {
        let (k, v) = entry?;
        let tail = &k[prefix.len()..];
        out.push((
            codec::decode_u64(&tail[tail.len().saturating_sub(8)..]),
            codec::decode(&v)?,
        ));
    }
    Ok(out)
}

/// The number after the last one under `prefix` (from 1).
fn next_under(core: &ActorCore, prefix: Vec<u8>) -> Result<u64> {
    Ok(match core.tree.scan_prefix(&prefix).next_back() {
        Some(entry) => codec::decode_u64(&entry?.0[prefix.len()..]) + 1,
        None => 1,
    })
}

/// Review `r` of merge request `n`.
pub fn review(core: &ActorCore, n: u64, r: u64) -> Result<Option<ReviewRecord>> {
    get(core, key(REVIEW, &[n, r]))
}

/// The reviews of merge request `n`, oldest first.
pub fn reviews(core: &ActorCore, n: u64) -> Result<Vec<ReviewRecord>> {
    Ok(under(core, key(REVIEW, &[n]))?
        .into_iter()
        .map(|(_, r)| r)
        .collect())
}

/// The number the next review of merge request `n` gets.
pub fn next_review(core: &ActorCore, n: u64) -> Result<u64> {
    next_under(core, key(REVIEW, &[n]))
}

/// The review an Offer made, if it made one: `(n, r)`.
pub fn made_by(core: &ActorCore, offer: &Url) -> Result<Option<(u64, u64)>> {
    let bytes = core
        .tree
        .get(layout::key(REVIEW_OFFER, offer.as_str().as_bytes()))?;
    Ok(bytes
        .filter(|b| b.len() == 16)
        .map(|b| (codec::decode_u64(&b[..8]), codec::decode_u64(&b[8..]))))
}

/// A review thread.
pub fn thread(core: &ActorCore, id: ThreadId) -> Result<Option<ThreadRecord>> {
    get(core, key(REVIEW_THREAD, &thread_numbers(id)))
}

/// The threads of review `r` of merge request `n`, in order.
pub fn threads(core: &ActorCore, n: u64, r: u64) -> Result<Vec<ThreadRecord>> {
    let all = under(core, key(REVIEW_THREAD, &[n, r]))?;
    Ok(all.into_iter().map(|(_, t)| t).collect())
}

/// Writes a thread back (its resolved state changed).
pub fn save_thread(core: &ActorCore, thread: &ThreadRecord) -> Result<()> {
    let k = key(REVIEW_THREAD, &thread_numbers(thread.id.into()));
    core.tree.insert(k, codec::encode(thread)?)?;
    Ok(())
}

/// The Notes of a thread, oldest first (the top comment first), with their numbers.
pub fn comments(core: &ActorCore, id: ThreadId) -> Result<Vec<(u64, Comment)>> {
    under(core, key(THREAD_COMMENT, &thread_numbers(id)))
}

/// One Note of a thread.
pub fn comment(core: &ActorCore, id: ThreadId, seq: u64) -> Result<Option<Comment>> {
    let [n, r, t] = thread_numbers(id);
    get(core, key(THREAD_COMMENT, &[n, r, t, seq]))
}

/// The number the next Note of a thread gets.
pub fn next_comment(core: &ActorCore, id: ThreadId) -> Result<u64> {
    next_under(core, key(THREAD_COMMENT, &thread_numbers(id)))
}

/// Stores a Note of a thread under `seq`.
pub fn add_comment(core: &ActorCore, id: ThreadId, seq: u64, comment: &Comment) -> Result<()> {
    let [n, r, t] = thread_numbers(id);
    let k = key(THREAD_COMMENT, &[n, r, t, seq]);
    core.tree.insert(k, codec::encode(comment)?)?;
    Ok(())
}

/// The Approvals of merge request `n`, in the order they were first made.
pub fn approvals(core: &ActorCore, n: u64) -> Result<Vec<ApprovalRecord>> {
    Ok(under(core, key(APPROVAL, &[n]))?
        .into_iter()
        .map(|(_, a)| a)
        .collect())
}

/// Approval `a` of merge request `n`.
pub fn approval(core: &ActorCore, n: u64, a: u64) -> Result<Option<ApprovalRecord>> {
    get(core, key(APPROVAL, &[n, a]))
}

/// The Approval of `person` on merge request `n`, if they have one.
pub fn approval_of(core: &ActorCore, n: u64, person: &str) -> Result<Option<ApprovalRecord>> {
    Ok(approvals(core, n)?.into_iter().find(|a| a.person == person))
}

/// The number a new Approval of merge request `n` gets.
pub fn next_approval(core: &ActorCore, n: u64) -> Result<u64> {
    next_under(core, key(APPROVAL, &[n]))
}

/// Writes an Approval (new or changed).
pub fn save_approval(core: &ActorCore, n: u64, a: &ApprovalRecord) -> Result<()> {
    core.tree
        .insert(key(APPROVAL, &[n, a.number]), codec::encode(a)?)?;
    Ok(())
}

/// A new review of merge request `n`: the review, its threads with their top comments, the
/// reviewer's Approval and the Offer's marker, in one batch.
pub fn store(
    core: &ActorCore,
    n: u64,
    review: &ReviewRecord,
    threads: &[(ThreadRecord, Comment)],
    approval: &ApprovalRecord,
) -> Result<()> {
    let mut batch = core.tree.batch();
    batch.insert(key(REVIEW, &[n, review.number]), codec::encode(review)?);
    for (thread, top) in threads {
        let [n, r, t] = thread_numbers(thread.id.into());
        batch.insert(key(REVIEW_THREAD, &[n, r, t]), codec::encode(thread)?);
        batch.insert(key(THREAD_COMMENT, &[n, r, t, 1]), codec::encode(top)?);
    }
    batch.insert(
        key(APPROVAL, &[n, approval.number]),
        codec::encode(approval)?,
    );
    let mut made = n.to_be_bytes().to_vec();
    made.extend_from_slice(&review.number.to_be_bytes());
    batch.insert(layout::key(REVIEW_OFFER, review.offer.as_bytes()), made);
    core.tree.apply_batch(batch)?;
    Ok(())
}
