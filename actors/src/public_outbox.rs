//! The public part of an outbox: an index of the outbox items anyone may read (addressed to
//! `as:Public`), so an anonymous reader's outbox pages and `totalItems` are read by window like
//! the owner's, not filtered from every item. Written in the publishing transaction (see
//! `publish`); built once from the outbox for data stored before it existed.

use crate::audience::{is_public, stripped};
use crate::core::ActorCore;
use crate::error::Result;
use crate::storage::codec;
use crate::storage::layout::{self, OUTBOX, OUTBOX_PUBLIC};
use crate::storage::sizes;
use serde_json::Value;

/// Index entries written in one batch while building the index.
const BUILD_BATCH: usize = 10_000;

/// The index key of outbox item `seq` (the big-endian u64 of its outbox key).
pub fn index_key(seq: &[u8]) -> Vec<u8> {
    layout::key(OUTBOX_PUBLIC, seq)
}

/// How many public items the outbox holds; builds the index first if it was never built.
pub fn size(core: &ActorCore) -> Result<u64> {
    if let Some(v) = core.tree.get(sizes::size_key(OUTBOX_PUBLIC))? {
        return Ok(codec::decode_u64(&v));
    }
    let pre = layout::prefix(OUTBOX);
    let (mut n, mut batch, mut pending) = (0u64, core.tree.batch(), 0usize);
    for entry in core.tree.scan_prefix(&pre) {
        let (k, v) = entry?;
        if is_public(&codec::decode::<Value>(&v)?) {
            batch.insert(index_key(&k[pre.len()..]), []);
            (n, pending) = (n + 1, pending + 1);
        }
        if pending == BUILD_BATCH {
            core.tree
                .apply_batch(std::mem::replace(&mut batch, core.tree.batch()))?;
            pending = 0;
        }
    }
    // The size last: an interrupted build is built again (the same entries).
    batch.insert(sizes::size_key(OUTBOX_PUBLIC), n.to_be_bytes());
    core.tree.apply_batch(batch)?;
    Ok(n)
}

/// The public items at positions `offset .. offset + len`, newest first, as served.
pub fn window(core: &ActorCore, total: u64, offset: u64, len: usize) -> Result<Vec<Value>> {
    let pre = layout::prefix(OUTBOX_PUBLIC);
    let entries = crate::storage::window::window(&core.tree, &pre, total, (offset, len), true)?;
    let mut out = Vec::with_capacity(entries.len());
    for (k, _) in entries {
        let item = core.tree.get(layout::key(OUTBOX, &k[pre.len()..]))?;
        if let Some(bytes) = item {
            out.push(stripped(&codec::decode::<Value>(&bytes)?));
        }
    }
    Ok(out)
}
