//! Reading one window of a collection (the items of one page) without reading the rest: a
//! collection is the keys under one prefix, its items in key order or reverse key order, and a
//! window is read from whichever end of the prefix is nearer. With a sequence (dense be u64
//! keys), any window is read directly: the `len` entries before a known end (`before_seq`).

use crate::base::error::Result;
use crate::storage::engine::Entry;
use crate::storage::keyspace::ActorKeyspace;

/// The entries at positions `offset .. offset + len` of the collection under `prefix` (of
/// `total` entries), counted in key order, or in reverse key order with `reverse`. Costs
/// O(len + min(offset, total - offset - len)): the first and the last page cost the same
/// at any size.
pub fn window(
    ks: &ActorKeyspace,
    prefix: &[u8],
    total: u64,
    (offset, len): (u64, usize),
    reverse: bool,
) -> Result<Vec<Entry>> {
    let after = total.saturating_sub(offset.saturating_add(len as u64));
    if offset <= after {
        return ks
            .scan_from(prefix, None, reverse)
            .skip(offset as usize)
            .take(len)
            .collect();
    }
    // Nearer the other end: read the window from there, backwards.
    let mut entries = ks
        .scan_from(prefix, None, !reverse)
        .skip(after as usize)
        .take(len)
        .collect::<Result<Vec<_>>>()?;
    entries.reverse();
    Ok(entries)
}

/// The `len` entries of a sequence collection (keys `prefix <be u64 seq>`, seqs from 0) that
/// come right before `end` (exclusive) in reverse order: newest first, O(len) wherever `end` is.
pub fn before_seq(ks: &ActorKeyspace, prefix: &[u8], end: u64, len: usize) -> Result<Vec<Entry>> {
    let mut cursor = prefix.to_vec();
    cursor.extend_from_slice(&end.to_be_bytes());
    ks.scan_from(prefix, Some(&cursor), true)
        .take(len)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::kind::{ActorKind, ActorRef};

    #[test]
    fn windows_are_the_same_from_either_end() {
        let store = crate::storage::store::Store::in_memory().unwrap();
        let ks = store
            .keyspace(&ActorRef::new(ActorKind::Person, "a"))
            .unwrap();
        let pre = crate::storage::layout::prefix("c");
        for i in 0u64..50 {
            ks.insert(crate::storage::layout::seq_key("c", i), i.to_be_bytes())
                .unwrap();
        }
        let values = |e: Vec<Entry>| {
            e.iter()
                .map(|(_, v)| crate::storage::codec::decode_u64(v))
                .collect::<Vec<_>>()
        };
        for reverse in [false, true] {
            for offset in [0u64, 7, 20, 40, 45] {
                let len = 20.min(50 - offset as usize);
                let all: Vec<u64> = match reverse {
                    false => (0..50).collect(),
                    true => (0..50).rev().collect(),
                };
                let expected = all[offset as usize..offset as usize + len].to_vec();
                let got = values(window(&ks, &pre, 50, (offset, len), reverse).unwrap());
                assert_eq!(got, expected, "offset {offset} reverse {reverse}");
            }
        }
        assert_eq!(values(before_seq(&ks, &pre, 50, 3).unwrap()), [49, 48, 47]);
        assert_eq!(values(before_seq(&ks, &pre, 2, 20).unwrap()), [1, 0]);
    }
}
