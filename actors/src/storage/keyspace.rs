//! An actor's own keyspace. Every actor `<kind>/<id>` owns the keys of its kind's shared tree
//! (`person`, `factory`, `repository`, `tickettracker`, `patchtracker`, `project`) that start
//! with `<id> 0x00`; inside that, keys are `<collection> 0xFF <rest>` (see `layout`). Only the
//! actor reads and writes its keyspace.
//!
//! Why not one tree per actor: sled 0.34 keeps the list of trees in one metadata record that
//! it rewrites (as an ever larger blob) whenever a tree is created; measured here, about 80,000
//! trees had written 68 GB of blobs and filled the disk. Prefixes in a few trees scale to
//! millions of actors (see BENCHMARKS.md, "Scale").

use crate::base::error::Result;
use crate::storage::engine::{Batch, Entries};
use crate::storage::layout::ID_END;
use crate::storage::tree::Tree;
use std::sync::Arc;

/// One actor's keyspace in its kind's tree. Cheap to clone. Keys given to and returned by its
/// methods are relative to the actor (the prefix is added and stripped).
#[derive(Clone)]
pub struct ActorKeyspace {
    tree: Tree,
    prefix: Arc<[u8]>,
}

/// A batch of writes to one actor's keyspace, applied atomically.
pub struct ActorBatch {
    inner: Batch,
    prefix: Arc<[u8]>,
}

fn join(prefix: &[u8], key: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(prefix.len() + key.len());
    k.extend_from_slice(prefix);
    k.extend_from_slice(key);
    k
}

/// Strips the actor's prefix from the keys of `entries`.
fn relative(entries: Entries, skip: usize) -> Entries {
    Box::new(entries.map(move |e| e.map(|(k, v)| (k[skip.min(k.len())..].to_vec(), v))))
}

impl ActorKeyspace {
    /// The keyspace of actor `id` in its kind's tree.
    pub fn new(tree: Tree, id: &str) -> ActorKeyspace {
        let mut prefix = id.as_bytes().to_vec();
        prefix.push(ID_END);
        ActorKeyspace {
            tree,
            prefix: prefix.into(),
        }
    }

    /// The actor's prefix (`<id> 0x00`).
    pub fn prefix(&self) -> &[u8] {
        &self.prefix
    }

    /// The full key in the shared tree.
    pub fn full_key(&self, key: &[u8]) -> Vec<u8> {
        join(&self.prefix, key)
    }

    /// The shared tree (for transactions and staged writes spanning trees; use `full_key`).
    pub fn raw(&self) -> &Tree {
        &self.tree
    }

    pub fn insert<K: AsRef<[u8]>, V: AsRef<[u8]>>(
        &self,
        key: K,
        value: V,
    ) -> Result<Option<Vec<u8>>> {
        self.tree.insert(self.full_key(key.as_ref()), value)
    }

    pub fn get<K: AsRef<[u8]>>(&self, key: K) -> Result<Option<Vec<u8>>> {
        self.tree.get(self.full_key(key.as_ref()))
    }

    pub fn remove<K: AsRef<[u8]>>(&self, key: K) -> Result<Option<Vec<u8>>> {
        self.tree.remove(self.full_key(key.as_ref()))
    }

    pub fn contains_key<K: AsRef<[u8]>>(&self, key: K) -> Result<bool> {
        self.tree.contains_key(self.full_key(key.as_ref()))
    }

    /// The entries whose (relative) key starts with `prefix`, in key order (`.rev()`: reverse);
    /// keys returned relative to the actor.
    pub fn scan_prefix<P: AsRef<[u8]>>(&self, prefix: P) -> Entries {
        let entries = self.tree.scan_prefix(self.full_key(prefix.as_ref()));
        relative(entries, self.prefix.len())
    }

    /// The entries of the (relative) `prefix` after the relative key `after` (None: from the
    /// start) in key order, or before it in reverse order (`reverse`); see `Tree::scan_from`.
    pub fn scan_from<P: AsRef<[u8]>>(
        &self,
        prefix: P,
        after: Option<&[u8]>,
        reverse: bool,
    ) -> Entries {
        let full_after = after.map(|k| self.full_key(k));
        let entries = self.tree.scan_from(
            self.full_key(prefix.as_ref()),
            full_after.as_deref(),
            reverse,
        );
        relative(entries, self.prefix.len())
    }

    /// A new batch for this keyspace.
    pub fn batch(&self) -> ActorBatch {
        ActorBatch {
            inner: Batch::default(),
            prefix: self.prefix.clone(),
        }
    }

    /// Applies a batch atomically.
    pub fn apply_batch(&self, batch: ActorBatch) -> Result<()> {
        self.tree.apply_batch(batch.inner)
    }
}

impl ActorBatch {
    pub fn insert<K: AsRef<[u8]>, V: AsRef<[u8]>>(&mut self, key: K, value: V) {
        self.inner.insert(join(&self.prefix, key.as_ref()), value);
    }

    pub fn remove<K: AsRef<[u8]>>(&mut self, key: K) {
        self.inner.remove(join(&self.prefix, key.as_ref()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::engine::Engine;

    #[test]
    fn keyspaces_do_not_overlap() {
        let engine = crate::storage::memory::MemoryEngine::default();
        let tree = Tree::new("person", engine.open_tree("person").unwrap());
        let ab = ActorKeyspace::new(tree.clone(), "ab");
        let abc = ActorKeyspace::new(tree.clone(), "abc");
        ab.insert(b"inbox\xff\x01", &b"1"[..]).unwrap();
        abc.insert(b"inbox\xff\x02", &b"2"[..]).unwrap();
        let mine: Vec<_> = ab
            .scan_prefix(b"inbox")
            .map(|e| e.unwrap().0.to_vec())
            .collect();
        assert_eq!(mine, vec![b"inbox\xff\x01".to_vec()]);
        assert_eq!(abc.scan_prefix(b"").count(), 1);
        let mut batch = ab.batch();
        batch.insert(b"x", &b"y"[..]);
        batch.remove(b"inbox\xff\x01");
        ab.apply_batch(batch).unwrap();
        assert_eq!(ab.get(b"x").unwrap().unwrap().as_slice(), b"y");
        assert!(!ab.contains_key(b"inbox\xff\x01").unwrap());
        assert_eq!(
            ab.scan_prefix(b"")
                .next_back()
                .unwrap()
                .unwrap()
                .0
                .as_slice(),
            b"x"
        );
    }

    #[test]
    fn cursors_read_forward_and_back_from_a_key() {
        let engine = crate::storage::memory::MemoryEngine::default();
        let tree = Tree::new("person", engine.open_tree("person").unwrap());
        let a = ActorKeyspace::new(tree.clone(), "a");
        for i in 0u8..10 {
            a.insert([b'c', 0xFF, i], [i]).unwrap();
        }
        ActorKeyspace::new(tree, "b")
            .insert([b'c', 0xFF, 3], [0])
            .unwrap();
        fn keys(e: impl Iterator<Item = Result<(Vec<u8>, Vec<u8>)>>) -> Vec<u8> {
            e.map(|e| e.unwrap().1[0]).collect()
        }
        assert_eq!(
            keys(a.scan_from(b"c\xff", Some(&[b'c', 0xFF, 6]), false)),
            [7, 8, 9]
        );
        assert_eq!(
            keys(a.scan_from(b"c\xff", Some(&[b'c', 0xFF, 2]), true)),
            [1, 0]
        );
        assert_eq!(keys(a.scan_from(b"c\xff", None, true).take(2)), [9, 8]);
        assert_eq!(keys(a.scan_from(b"c\xff", None, false).take(2)), [0, 1]);
        assert!(keys(a.scan_from(b"c\xff", Some(b"d"), false)).is_empty());
    }
}
