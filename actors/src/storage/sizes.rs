//! Kept sizes of collections (`size 0xFF <collection>` -> be u64, see `layout::SIZE`), so a
//! collection's `totalItems` costs one read. A size is written in the same batch (or
//! transaction) as the item that changes it; only the actor writes its keyspace, so reading the
//! size and then writing the batch is not racy. A collection stored before sizes were kept is
//! counted once, on first use, and kept from then on.

use crate::base::error::Result;
use crate::storage::codec::decode_u64;
use crate::storage::keyspace::ActorKeyspace;
use crate::storage::layout::{self, SIZE};

/// The key of a collection's size.
pub fn size_key(collection: &str) -> Vec<u8> {
    layout::key(SIZE, collection.as_bytes())
}

/// The number of items of `collection` (counted once if it was never kept).
pub fn size(ks: &ActorKeyspace, collection: &str) -> Result<u64> {
    let key = size_key(collection);
    if let Some(v) = ks.get(&key)? {
        return Ok(decode_u64(&v));
    }
    let n = ks.scan_prefix(layout::prefix(collection)).count() as u64;
    ks.insert(&key, n.to_be_bytes())?;
    Ok(n)
}

/// Sets item `rest` of `collection` to `value`, counting it if it is new. Answers whether it was.
pub fn insert(ks: &ActorKeyspace, collection: &str, rest: &[u8], value: &[u8]) -> Result<bool> {
    let n = size(ks, collection)?;
    let key = layout::key(collection, rest);
    let new = !ks.contains_key(&key)?;
    let mut batch = ks.batch();
    batch.insert(&key, value);
    if new {
        batch.insert(size_key(collection), (n + 1).to_be_bytes());
    }
    ks.apply_batch(batch)?;
    Ok(new)
}

/// Removes item `rest` of `collection`, counting it out; answers its value if it was there.
pub fn remove(ks: &ActorKeyspace, collection: &str, rest: &[u8]) -> Result<Option<Vec<u8>>> {
    let n = size(ks, collection)?;
    let key = layout::key(collection, rest);
    let Some(old) = ks.get(&key)? else {
        return Ok(None);
    };
    let mut batch = ks.batch();
    batch.remove(&key);
    batch.insert(size_key(collection), n.saturating_sub(1).to_be_bytes());
    ks.apply_batch(batch)?;
    Ok(Some(old))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::kind::{ActorKind, ActorRef};

    #[test]
    fn sizes_follow_inserts_and_removals_and_count_old_data_once() {
        let store = crate::storage::store::Store::in_memory().unwrap();
        let ks = store
            .keyspace(&ActorRef::new(ActorKind::Person, "a"))
            .unwrap();
        // Stored before sizes were kept.
        ks.insert(layout::key("c", b"old"), b"1").unwrap();
        assert!(insert(&ks, "c", b"x", b"1").unwrap());
        assert!(
            !insert(&ks, "c", b"x", b"2").unwrap(),
            "an overwrite is not new"
        );
        assert_eq!(size(&ks, "c").unwrap(), 2);
        assert_eq!(remove(&ks, "c", b"x").unwrap().as_deref(), Some(&b"2"[..]));
        assert_eq!(remove(&ks, "c", b"x").unwrap(), None);
        assert_eq!(size(&ks, "c").unwrap(), 1);
    }
}
