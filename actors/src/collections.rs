//! Serving an actor's collections (`inbox`, `outbox`, `followers`, `following`, `likes`,
//! `grants`, `components`, a repository's `forks`) as ActivityStreams OrderedCollections with
//! pages (`paging`), and reading its follower lists. The large ones are read by window: a page
//! reads its own items.

use crate::actor::state::ActorCore;
use crate::base::addressing::{strip_hidden, stripped};
use crate::base::error::{ActorError, Result};
use crate::base::paging::{self, Window};
use crate::data::{followers, grants, received_grants};
use crate::publish::audience::{self, Reader};
use crate::publish::outbox_index::{self, Index};
use crate::runtime::messages::GetCollection;
use crate::storage::codec;
use crate::storage::layout::{self, FOLLOWERS, INBOX, LIKES, OUTBOX};
use crate::storage::sizes;
use crate::storage::window::{before_seq, window};
use serde_json::{json, Value};
use url::Url;

/// The items of a collection read whole, in the order they are served: the small ones, and
/// the outbox as an identified reader other than its owner sees it (what they may read is
/// decided item by item, so its size and pages are counted from every item).
fn items(core: &ActorCore, name: &str, reader: &Reader) -> Result<Vec<Value>> {
    match name {
        "following" => Ok(followers::following(core)?
            .into_iter()
            .map(|i| json!(i))
            .collect()),
        "outbox" => {
            let mut out = Vec::new();
            for entry in core.tree.scan_prefix(layout::prefix(OUTBOX)).rev() {
                let value: Value = codec::decode(&entry?.1)?;
                if audience::may_read_published(core, &value, reader)? {
                    out.push(stripped(&value));
                }
            }
            Ok(out)
        }
        "grants" if core.r.kind == crate::base::kind::ActorKind::Person => {
            received_grants::items(core)
        }
        "grants" => grants::items(core),
        "components" => crate::data::components::components_items(core),
        "forks" if core.r.kind == crate::base::kind::ActorKind::Repository => {
            crate::data::forks::items(core)
        }
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
    let index = core.env.store.kind_index(core.r.kind)?;
    let end = total.saturating_sub(w.offset);
    let mut out = Vec::with_capacity(w.len);
    for (_, bytes) in before_seq(&core.tree, &layout::prefix(INBOX), end, w.len)? {
        match crate::storage::bodies::decode_item(&index, &bytes)? {
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
    let collection = crate::urls::Collection::from_name(&msg.name)
        .ok_or_else(|| ActorError::NotFound(format!("collection {}", msg.name)))?;
    let id = core.env.urls.collection(&core.r, collection);
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
