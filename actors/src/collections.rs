//! Serving an actor's collections (`inbox`, `outbox`, `followers`, `following`, `likes`,
//! `grants`, `components`) as ActivityStreams OrderedCollections with pages (`paging`), and
//! reading its follower lists. The large ones are read by window: a page reads its own items.

use crate::audience::{strip_hidden, stripped, Reader};
use crate::core::ActorCore;
use crate::error::{ActorError, Result};
use crate::messages::GetCollection;
use crate::outbox_index::{self, Index};
use crate::paging::{self, Window};
use crate::storage::codec;
use crate::storage::layout::{self, FOLLOWERS, FOLLOWING, INBOX, LIKES, OUTBOX};
use crate::storage::sizes;
use crate::storage::window::{before_seq, window};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

/// `followers 0xFF <iri>`: who follows this actor, through which Follow.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Follower {
    pub follow: String,
    pub since: String,
}

/// `following 0xFF <iri>`: whom this actor follows; `accepted` once the Accept arrived.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Following {
    pub follow: String,
    pub accepted: bool,
    pub since: String,
}

/// The IRIs stored as keys of a collection.
fn iri_keys(core: &ActorCore, collection: &str) -> Result<Vec<(Url, Vec<u8>)>> {
    let pre = layout::prefix(collection);
    let mut out = Vec::new();
    for entry in core.tree.scan_prefix(&pre) {
        let (k, v) = entry?;
        if let Ok(iri) = Url::parse(&String::from_utf8_lossy(&k[pre.len()..])) {
            out.push((iri, v));
        }
    }
    Ok(out)
}

impl ActorCore {
    /// Everyone following this actor.
    pub fn followers(&self) -> Result<Vec<Url>> {
        Ok(iri_keys(self, FOLLOWERS)?
            .into_iter()
            .map(|(i, _)| i)
            .collect())
    }

    /// The follower entry of one actor.
    pub fn follower(&self, iri: &Url) -> Result<Option<Follower>> {
        match self
            .tree
            .get(layout::key(FOLLOWERS, iri.as_str().as_bytes()))?
        {
            Some(v) => Ok(Some(codec::decode(&v)?)),
            None => Ok(None),
        }
    }

    /// The following entry for one actor.
    pub fn following_entry(&self, iri: &Url) -> Result<Option<Following>> {
        match self
            .tree
            .get(layout::key(FOLLOWING, iri.as_str().as_bytes()))?
        {
            Some(v) => Ok(Some(codec::decode(&v)?)),
            None => Ok(None),
        }
    }

    /// Everyone this actor follows (accepted follows only).
    pub fn following(&self) -> Result<Vec<Url>> {
        let mut out = Vec::new();
        for (iri, v) in iri_keys(self, FOLLOWING)? {
            if codec::decode::<Following>(&v)?.accepted {
                out.push(iri);
            }
        }
        Ok(out)
    }
}

/// The items of a collection read whole, in the order they are served: the small ones, and
/// the outbox as an identified reader other than its owner sees it (what they may read is
/// decided item by item, so its size and pages are counted from every item).
fn items(core: &ActorCore, name: &str, reader: &Reader) -> Result<Vec<Value>> {
    match name {
        "following" => Ok(core.following()?.into_iter().map(|i| json!(i)).collect()),
        "outbox" => {
            let mut out = Vec::new();
            for entry in core.tree.scan_prefix(layout::prefix(OUTBOX)).rev() {
                let value: Value = codec::decode(&entry?.1)?;
                if core.may_read_published(&value, reader)? {
                    out.push(stripped(&value));
                }
            }
            Ok(out)
        }
        "grants" if core.r.kind == crate::kind::ActorKind::Person => core.received_grants_items(),
        "grants" => core.issued_grants_items(),
        "components" => crate::project::components_items(core),
        other => Err(ActorError::NotFound(format!("collection {other}"))),
    }
}

/// The IRIs kept as the keys of a counted collection (followers, likes) in one window.
fn iri_window(core: &ActorCore, collection: &str, total: u64, w: Window) -> Result<Vec<Value>> {
    let pre = layout::prefix(collection);
    let entries = window(&core.tree, &pre, total, (w.offset, w.len), false)?;
    Ok(entries
        .iter()
        .filter_map(|(k, _)| Url::parse(&String::from_utf8_lossy(&k[pre.len()..])).ok())
        .map(|iri| json!(iri))
        .collect())
}

/// One window of the inbox, newest first: its sequence numbers are dense, so the window's
/// keys are known and read directly, wherever it is. Items are stored without bto/bcc; older
/// ones are stripped as they are served; those whose body is missing are left out.
fn inbox_window(core: &ActorCore, total: u64, w: Window) -> Result<Vec<Value>> {
    let index = core.store.kind_index(core.r.kind)?;
    let end = total.saturating_sub(w.offset);
    let mut out = Vec::with_capacity(w.len);
    for (_, bytes) in before_seq(&core.tree, &layout::prefix(INBOX), end, w.len)? {
        match crate::bodies::decode_item(&index, &bytes)? {
            Some(mut item) => {
                strip_hidden(&mut item);
                out.push(item)
            }
            None => tracing::warn!(actor = %core.r, "inbox item's body missing; left out"),
        }
    }
    Ok(out)
}

/// The number of inbox items: one more than the last sequence number (items are never removed).
fn inbox_size(core: &ActorCore) -> Result<u64> {
    let pre = layout::prefix(INBOX);
    match core.tree.scan_prefix(&pre).next_back() {
        Some(entry) => Ok(codec::decode_u64(&entry?.0[pre.len()..]) + 1),
        None => Ok(0),
    }
}

/// The collection document, or one page of it. Inbox, followers, likes and the outbox read by
/// its owner, an admin or an anonymous reader (its public items) are read by window (a page
/// costs the same at any size); the others whole.
pub fn get(core: &ActorCore, msg: &GetCollection) -> Result<Value> {
    let id = core.urls.actor_sub(&core.r, &msg.name);
    let owner = msg.reader == Reader::Owner;
    match msg.name.as_str() {
        "inbox" if !owner => Err(ActorError::Forbidden(
            "only the owner may read an inbox".into(),
        )),
        "inbox" => {
            let total = inbox_size(core)?;
            paging::document(&id, total, msg.page, |w| inbox_window(core, total, w))
        }
        name @ ("followers" | "likes") => {
            let collection = if name == "followers" {
                FOLLOWERS
            } else {
                LIKES
            };
            let total = sizes::size(&core.tree, collection)?;
            paging::document(&id, total, msg.page, |w| {
                iri_window(core, collection, total, w)
            })
        }
        "outbox" if owner || msg.reader == Reader::Anonymous || msg.reader == Reader::Admin => {
            // Owner and admins see every item; anonymous readers the public ones.
            let index = match msg.reader {
                Reader::Anonymous => Index::Public,
                _ => Index::All,
            };
            let total = outbox_index::size(core, index)?;
            paging::document(&id, total, msg.page, |w| {
                outbox_index::window(core, index, total, w.offset, w.len)
            })
        }
        name => paging::of_items(&id, items(core, name, &msg.reader)?, msg.page),
    }
}
