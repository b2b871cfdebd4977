//! Received bodies stored once: an activity of at least `SHARED_BODY_MIN` bytes delivered to
//! several local actors of a kind (a shared-inbox POST to 20 people) is stored once under its
//! SHA-256 in the kind's index keyspace (`body 0xFF <sha256>`), and each recipient's inbox item
//! is the reference `0x01 <sha256>` (layouts documented in `storage::layout` beside `INBOX` and `BODY`).
//!
//! Crash safety: the body and the item referencing it are in the same tree (the recipient's
//! kind's), so the body joins the item's group of the group commit and lands in the same atomic
//! batch; a recipient whose body was already committed references it without writing it again.
//! Items written before (plain JSON) read as they are.

use crate::base::error::Result;
use crate::base::kind::ActorKind;
use crate::storage::codec;
use crate::storage::flush::Write;
use crate::storage::keyspace::ActorKeyspace;
use crate::storage::layout::{self, BODY, BODY_REF, SHARED_BODY_MIN};
use crate::storage::store::Store;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The inbox item to store for `activity`, and the shared-body write it needs (none when the
/// body is small, or already stored). `index` is the recipient's kind index.
pub fn item_and_body(index: &ActorKeyspace, activity: &Value) -> Result<(Vec<u8>, Option<Write>)> {
    let json = codec::encode(activity)?;
    if json.len() < SHARED_BODY_MIN {
        return Ok((json, None));
    }
    let digest = Sha256::digest(&json);
    let mut item = Vec::with_capacity(1 + digest.len());
    item.push(BODY_REF);
    item.extend_from_slice(&digest);
    let key = layout::key(BODY, &digest);
    // Staged but uncommitted by another recipient: written twice, with the same value.
    let write = match index.contains_key(&key)? {
        true => None,
        false => Some((index.full_key(&key), Some(json))),
    };
    Ok((item, write))
}

/// Decodes a stored inbox item of either layout; None when it references a missing body.
pub fn decode_item(index: &ActorKeyspace, bytes: &[u8]) -> Result<Option<Value>> {
    match bytes.split_first() {
        Some((&BODY_REF, digest)) => match index.get(layout::key(BODY, digest))? {
            Some(json) => Ok(Some(codec::decode(&json)?)),
            None => Ok(None),
        },
        _ => Ok(Some(codec::decode(bytes)?)),
    }
}

/// How many shared bodies are stored for recipients of `kind`, and their total size in bytes.
pub fn stored_bodies(store: &Store, kind: ActorKind) -> Result<(usize, u64)> {
    let (mut n, mut bytes) = (0, 0);
    for entry in store.kind_index(kind)?.scan_prefix(layout::prefix(BODY)) {
        n += 1;
        bytes += entry?.1.len() as u64;
    }
    Ok((n, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::kind::ActorRef;
    use serde_json::json;

    #[test]
    fn large_bodies_are_referenced_small_ones_inline_and_both_read() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let index = store.kind_index(ActorKind::Person).unwrap();
        let small = json!({"type": "Follow"});
        let (item, write) = item_and_body(&index, &small).unwrap();
        assert!(write.is_none() && item[0] == b'{');
        assert_eq!(decode_item(&index, &item).unwrap(), Some(small));

        let large = json!({"type": "Create", "content": "x".repeat(5000)});
        let (item, write) = item_and_body(&index, &large).unwrap();
        assert_eq!((item[0], item.len()), (BODY_REF, 33));
        assert_eq!(
            decode_item(&index, &item).unwrap(),
            None,
            "body not written yet"
        );
        let (key, value) = write.expect("the body is written with the first item");
        index.raw().insert(key, value.unwrap()).unwrap();
        assert_eq!(decode_item(&index, &item).unwrap(), Some(large.clone()));
        let (again, write) = item_and_body(&index, &large).unwrap();
        assert!(write.is_none(), "a stored body is not written again");
        assert_eq!(again, item);
        assert_eq!(stored_bodies(&store, ActorKind::Person).unwrap().0, 1);
        // Other actors' keyspaces never see the index's keys.
        let alice = store
            .keyspace(&ActorRef::new(ActorKind::Person, "alice"))
            .unwrap();
        assert_eq!(alice.scan_prefix(layout::prefix(BODY)).count(), 0);
    }
}
