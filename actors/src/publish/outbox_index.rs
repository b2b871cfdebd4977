//! Two indexes of an outbox by position, so any page of it, and its `totalItems`, is read
//! directly (O(page)) whoever reads it: `outbox-at` lists every item (what its owner and admins
//! see), `outbox-public` the items addressed to `as:Public` (what anonymous readers see), each
//! `<be u64 position> -> <be u64 outbox id>` with its size. Outbox items are never removed, so
//! positions are dense. Written in the publishing transaction (`publish`); built once from the
//! outbox for data stored before they existed.

use crate::actor::state::ActorCore;
use crate::base::addressing::{is_public, strip_hidden};
use crate::base::error::Result;
use crate::storage::codec::{self, decode_u64};
use crate::storage::layout::{self, OUTBOX, OUTBOX_AT, OUTBOX_PUBLIC};
use crate::storage::sizes::size_key;
use crate::storage::window::before_seq;
use serde_json::Value;

/// Index entries written in one batch while building the indexes.
const BUILD_BATCH: u64 = 10_000;

/// Which index: every item, or the public ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Index {
    All,
    Public,
}

impl Index {
    fn collection(self) -> &'static str {
        match self {
            Index::All => OUTBOX_AT,
            Index::Public => OUTBOX_PUBLIC,
        }
    }
}

/// How many items an index holds; builds both indexes first if they were never built.
pub fn size(core: &ActorCore, index: Index) -> Result<u64> {
    if core.tree.get(size_key(OUTBOX_AT))?.is_none() {
        build(core)?;
    }
    Ok(core
        .tree
        .get(size_key(index.collection()))?
        .map_or(0, |v| decode_u64(&v)))
}

/// Builds both indexes from the outbox (ids in key order are publishing order). The sizes are
/// written last: an interrupted build is built again (the same entries).
fn build(core: &ActorCore) -> Result<()> {
    let pre = layout::prefix(OUTBOX);
    let (mut all, mut public, mut batch) = (0u64, 0u64, core.tree.batch());
    for entry in core.tree.scan_prefix(&pre) {
        let (k, v) = entry?;
        let id = &k[pre.len()..];
        batch.insert(layout::seq_key(OUTBOX_AT, all), id);
        all += 1;
        if is_public(&codec::decode::<Value>(&v)?) {
            batch.insert(layout::seq_key(OUTBOX_PUBLIC, public), id);
            public += 1;
        }
        if all % BUILD_BATCH == 0 {
            core.tree
                .apply_batch(std::mem::replace(&mut batch, core.tree.batch()))?;
        }
    }
    batch.insert(size_key(OUTBOX_AT), all.to_be_bytes());
    batch.insert(size_key(OUTBOX_PUBLIC), public.to_be_bytes());
    core.tree.apply_batch(batch)
}

/// What publishing outbox item `id` writes to the indexes (full keys and values), in the
/// publishing transaction.
pub fn writes(core: &ActorCore, id: u64, public: bool) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
    let mut out = Vec::new();
    let indexes: &[Index] = if public {
        &[Index::All, Index::Public]
    } else {
        &[Index::All]
    };
    for &index in indexes {
        let n = size(core, index)?;
        let name = index.collection();
        let entry = layout::seq_key(name, n);
        out.push((core.tree.full_key(&entry), id.to_be_bytes().to_vec()));
        let size = core.tree.full_key(&size_key(name));
        out.push((size, (n + 1).to_be_bytes().to_vec()));
    }
    Ok(out)
}

/// The items at positions `offset .. offset + len` of an index of `total` items, newest first,
/// as served.
pub fn window(
    core: &ActorCore,
    index: Index,
    total: u64,
    offset: u64,
    len: usize,
) -> Result<Vec<Value>> {
    let pre = layout::prefix(index.collection());
    let end = total.saturating_sub(offset);
    let mut out = Vec::with_capacity(len);
    for (_, id) in before_seq(&core.tree, &pre, end, len)? {
        if let Some(bytes) = core.tree.get(layout::key(OUTBOX, &id))? {
            let mut item = codec::decode::<Value>(&bytes)?;
            strip_hidden(&mut item);
            out.push(item);
        }
    }
    Ok(out)
}
