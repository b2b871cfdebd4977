//! An actor's own keyspace. Every actor `<kind>/<id>` owns the keys of its kind's shared sled
//! tree (`person`, `factory`, `repository`, `tickettracker`, `project`) that start with
//! `<id> 0x00`; inside that, keys are `<collection> 0xFF <rest>` as before. Only the actor
//! reads and writes its keyspace.
//!
//! Why not one sled tree per actor: sled 0.34 keeps the list of trees in one metadata record that
//! it rewrites (as an ever larger blob) whenever a tree is created; measured here, about 80,000
//! trees had written 68 GB of blobs and filled the disk. Prefixes in a few trees scale to
//! millions of actors (see BENCHMARKS.md, "Scale").

use sled::IVec;
use std::sync::Arc;

/// Separator between an actor id and the rest of a key (never part of an id).
pub const ID_END: u8 = 0x00;

/// One actor's keyspace in its kind's tree. Cheap to clone. Keys given to and returned by its
/// methods are relative to the actor (the prefix is added and stripped).
#[derive(Clone)]
pub struct ActorTree {
    tree: sled::Tree,
    prefix: Arc<[u8]>,
}

/// Entries of an actor's keyspace, with keys relative to the actor.
pub struct ActorIter {
    inner: sled::Iter,
    skip: usize,
}

impl ActorIter {
    fn strip(&self, entry: sled::Result<(IVec, IVec)>) -> sled::Result<(IVec, IVec)> {
        entry.map(|(k, v)| (IVec::from(&k[self.skip.min(k.len())..]), v))
    }
}

impl Iterator for ActorIter {
    type Item = sled::Result<(IVec, IVec)>;

    fn next(&mut self) -> Option<Self::Item> {
        let entry = self.inner.next()?;
        Some(self.strip(entry))
    }
}

impl DoubleEndedIterator for ActorIter {
    fn next_back(&mut self) -> Option<Self::Item> {
        let entry = self.inner.next_back()?;
        Some(self.strip(entry))
    }
}

/// A batch of writes to one actor's keyspace, applied atomically.
pub struct ActorBatch {
    inner: sled::Batch,
    prefix: Arc<[u8]>,
}

fn join(prefix: &[u8], key: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(prefix.len() + key.len());
    k.extend_from_slice(prefix);
    k.extend_from_slice(key);
    k
}

impl ActorTree {
    /// The keyspace of actor `id` in its kind's tree.
    pub fn new(tree: sled::Tree, id: &str) -> ActorTree {
        let mut prefix = id.as_bytes().to_vec();
        prefix.push(ID_END);
        ActorTree {
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

    /// The shared tree (for transactions spanning trees; use `full_key`).
    pub fn raw(&self) -> &sled::Tree {
        &self.tree
    }

    pub fn insert<K: AsRef<[u8]>, V: Into<IVec>>(
        &self,
        key: K,
        value: V,
    ) -> sled::Result<Option<IVec>> {
        self.tree.insert(self.full_key(key.as_ref()), value)
    }

    pub fn get<K: AsRef<[u8]>>(&self, key: K) -> sled::Result<Option<IVec>> {
        self.tree.get(self.full_key(key.as_ref()))
    }

    pub fn remove<K: AsRef<[u8]>>(&self, key: K) -> sled::Result<Option<IVec>> {
        self.tree.remove(self.full_key(key.as_ref()))
    }

    pub fn contains_key<K: AsRef<[u8]>>(&self, key: K) -> sled::Result<bool> {
        self.tree.contains_key(self.full_key(key.as_ref()))
    }

    /// The entries whose (relative) key starts with `prefix`, in key order; keys returned
    /// relative to the actor.
    pub fn scan_prefix<P: AsRef<[u8]>>(&self, prefix: P) -> ActorIter {
        ActorIter {
            inner: self.tree.scan_prefix(self.full_key(prefix.as_ref())),
            skip: self.prefix.len(),
        }
    }

    /// A new batch for this keyspace.
    pub fn batch(&self) -> ActorBatch {
        ActorBatch {
            inner: sled::Batch::default(),
            prefix: self.prefix.clone(),
        }
    }

    /// Applies a batch atomically.
    pub fn apply_batch(&self, batch: ActorBatch) -> sled::Result<()> {
        self.tree.apply_batch(batch.inner)
    }
}

impl ActorBatch {
    pub fn insert<K: AsRef<[u8]>, V: Into<IVec>>(&mut self, key: K, value: V) {
        self.inner.insert(join(&self.prefix, key.as_ref()), value);
    }

    pub fn remove<K: AsRef<[u8]>>(&mut self, key: K) {
        self.inner.remove(join(&self.prefix, key.as_ref()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyspaces_do_not_overlap() {
        let dir = tempfile::tempdir().unwrap();
        let db = sled::Config::new().path(dir.path()).open().unwrap();
        let tree = db.open_tree("person").unwrap();
        let ab = ActorTree::new(tree.clone(), "ab");
        let abc = ActorTree::new(tree.clone(), "abc");
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
        assert_eq!(ab.get(b"x").unwrap().unwrap().as_ref(), b"y");
        assert!(!ab.contains_key(b"inbox\xff\x01").unwrap());
        assert_eq!(
            ab.scan_prefix(b"").next_back().unwrap().unwrap().0.as_ref(),
            b"x"
        );
    }
}
