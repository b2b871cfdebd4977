//! The tickets of a TicketTracker, as stored in its tree, and their documents (the handlers
//! that open, discuss and resolve them are `activities::tickets`).
//!
//! Ticket IRIs are `{tracker}/tickets/{n}`, n = 1, 2, 3... per tracker. Keys in the tree:
//! - `ticket 0xFF <be u64 n>` -> JSON `TicketRecord`
//! - `discussion 0xFF <be u64 n> <be u64 seq>` -> JSON `Comment` (seq from 1, oldest first)
//! - `ticket-followers 0xFF <be u64 n> <follower iri>` -> JSON `data::followers::Follower`
//! - `ticket-offer 0xFF <offer id>` -> be u64 n (the Offer that opened ticket n: a replayed
//!   Offer, e.g. after a crash, opens nothing new)

use crate::actor::state::ActorCore;
use crate::base::clock::now_rfc3339;
use crate::base::error::Result;
use crate::data::followers::Follower;
use crate::storage::codec;
use crate::storage::layout::{self, DISCUSSION, TICKET, TICKET_FOLLOWERS, TICKET_OFFER};
use crate::urls::TicketPart;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

/// One ticket, as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TicketRecord {
    pub number: u64,
    pub author: String,
    pub summary: String,
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default)]
    pub media_type: Option<String>,
    #[serde(default)]
    pub source: Option<Value>,
    pub published: String,
    /// The Offer that opened it.
    pub offer: String,
    #[serde(default)]
    pub resolution: Option<Resolution>,
}

/// Who closed a ticket, when, by which Resolve.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Resolution {
    pub by: String,
    pub at: String,
    pub activity: String,
}

/// One comment of a discussion: the Note as served and the Create that brought it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Comment {
    pub create: String,
    pub note: Value,
}

/// Whether the tracker takes Offers and comments from anyone (`extra.public`, absent = true).
pub fn is_public(core: &ActorCore) -> bool {
    core.record.extra.get("public").and_then(Value::as_bool) != Some(false)
}

/// The number of the ticket an IRI names, if it is exactly one of this tracker's ticket IRIs.
pub fn ticket_number(core: &ActorCore, iri: &Url) -> Option<u64> {
    let (tracker, n) = core.env.urls.parse_ticket(iri)?;
    (tracker == core.r).then_some(n)
}

pub fn ticket_key(n: u64) -> Vec<u8> {
    layout::key(TICKET, &n.to_be_bytes())
}

pub fn sub_prefix(collection: &str, n: u64) -> Vec<u8> {
    layout::key(collection, &n.to_be_bytes())
}

/// The stored ticket `n`.
pub fn load(core: &ActorCore, n: u64) -> Result<Option<TicketRecord>> {
    match core.tree.get(ticket_key(n))? {
        Some(v) => Ok(Some(codec::decode(&v)?)),
        None => Ok(None),
    }
}

/// Writes a ticket record.
pub fn save(core: &ActorCore, t: &TicketRecord) -> Result<()> {
    core.tree.insert(ticket_key(t.number), codec::encode(t)?)?;
    Ok(())
}

/// The ticket an Offer opened, if it opened one.
pub fn opened_by(core: &ActorCore, offer: &Url) -> Result<Option<u64>> {
    let key = layout::key(TICKET_OFFER, offer.as_str().as_bytes());
    Ok(core.tree.get(key)?.map(|v| codec::decode_u64(&v)))
}

/// Stores a new ticket, its author as its first follower and the Offer that opened it, at once.
pub fn create(core: &ActorCore, t: &TicketRecord, author: &Url) -> Result<()> {
    let mut batch = core.tree.batch();
    batch.insert(ticket_key(t.number), codec::encode(t)?);
    let mut follower = sub_prefix(TICKET_FOLLOWERS, t.number);
    follower.extend_from_slice(author.as_str().as_bytes());
    let entry = Follower {
        follow: t.offer.clone(),
        since: now_rfc3339(),
    };
    batch.insert(follower, codec::encode(&entry)?);
    let offer = layout::key(TICKET_OFFER, t.offer.as_bytes());
    batch.insert(offer, &t.number.to_be_bytes()[..]);
    core.tree.apply_batch(batch)?;
    Ok(())
}

/// The number the next ticket gets: one more than the last (tickets are never deleted).
pub fn next_number(core: &ActorCore) -> Result<u64> {
    let pre = layout::prefix(TICKET);
    Ok(match core.tree.scan_prefix(&pre).next_back() {
        Some(entry) => codec::decode_u64(&entry?.0[pre.len()..]) + 1,
        None => 1,
    })
}

/// Every ticket, newest first.
pub fn all(core: &ActorCore) -> Result<Vec<TicketRecord>> {
    let mut out = Vec::new();
    for entry in core.tree.scan_prefix(layout::prefix(TICKET)).rev() {
        out.push(codec::decode(&entry?.1)?);
    }
    Ok(out)
}

/// Adds a follower to ticket `n` (once); `via` is the activity that made them follow.
pub fn follow(core: &ActorCore, n: u64, who: &Url, via: &str) -> Result<()> {
    let mut key = sub_prefix(TICKET_FOLLOWERS, n);
    key.extend_from_slice(who.as_str().as_bytes());
    if !core.tree.contains_key(&key)? {
        let entry = Follower {
            follow: via.to_string(),
            since: now_rfc3339(),
        };
        core.tree.insert(key, codec::encode(&entry)?)?;
    }
    Ok(())
}

/// The followers of ticket `n`.
pub fn followers(core: &ActorCore, n: u64) -> Result<Vec<Url>> {
    let pre = sub_prefix(TICKET_FOLLOWERS, n);
    let mut out = Vec::new();
    for entry in core.tree.scan_prefix(&pre) {
        let (k, _) = entry?;
        if let Ok(u) = Url::parse(&String::from_utf8_lossy(&k[pre.len()..])) {
            out.push(u);
        }
    }
    Ok(out)
}

/// The comments of ticket `n`, oldest first, with their sequence numbers.
pub fn discussion(core: &ActorCore, n: u64) -> Result<Vec<(u64, Comment)>> {
    let pre = sub_prefix(DISCUSSION, n);
    let mut out = Vec::new();
    for entry in core.tree.scan_prefix(&pre) {
        let (k, v) = entry?;
        out.push((codec::decode_u64(&k[pre.len()..]), codec::decode(&v)?));
    }
    Ok(out)
}

/// The sequence number the next comment of ticket `n` gets (from 1).
pub fn next_comment(core: &ActorCore, n: u64) -> Result<u64> {
    let pre = sub_prefix(DISCUSSION, n);
    Ok(match core.tree.scan_prefix(&pre).next_back() {
        Some(entry) => codec::decode_u64(&entry?.0[pre.len()..]) + 1,
        None => 1,
    })
}

/// Stores a comment of ticket `n` under `seq`.
pub fn add_comment(core: &ActorCore, n: u64, seq: u64, comment: &Comment) -> Result<()> {
    let mut key = sub_prefix(DISCUSSION, n);
    key.extend_from_slice(&seq.to_be_bytes());
    core.tree.insert(key, codec::encode(comment)?)?;
    Ok(())
}

/// The Ticket document.
pub fn document(core: &ActorCore, t: &TicketRecord) -> Value {
    let mut doc = json!({
        "@context": schema::context::default_context(),
        "id": core.env.urls.ticket(&core.r, t.number),
        "type": "Ticket",
        "context": core.iri(),
        "attributedTo": t.author,
        "summary": t.summary,
        "content": t.content.clone().unwrap_or_default(),
        "mediaType": t.media_type.clone().unwrap_or_else(|| "text/html".into()),
        "published": t.published,
        "isResolved": t.resolution.is_some(),
        "followers": core.env.urls.ticket_part(&core.r, t.number, TicketPart::Followers),
        "replies": core.env.urls.ticket_part(&core.r, t.number, TicketPart::Discussion),
    });
    if let Some(s) = &t.source {
        doc["source"] = s.clone();
    }
    if let Some(r) = &t.resolution {
        doc["resolvedBy"] = json!(r.by);
        doc["resolved"] = json!(r.at);
    }
    doc
}
