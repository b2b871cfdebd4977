//! `Tree`: a handle on one named tree of the storage engine, with the generic conveniences
//! (keys and values as anything byte-like, prefix scans, cursors) over the narrow `KvTree`.

use crate::base::error::Result;
use crate::storage::engine::{Batch, Entries, KvTree, Swapped};
use std::ops::Bound;
use std::sync::Arc;

/// One named tree. Cheap to clone.
#[derive(Clone)]
pub struct Tree {
    name: Arc<str>,
    inner: Arc<dyn KvTree>,
}

/// The smallest key greater than every key starting with `prefix` (None: there is none, the
/// prefix is empty or all 0xFF).
pub fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xFF {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

impl Tree {
    pub fn new(name: &str, inner: Arc<dyn KvTree>) -> Tree {
        Tree {
            name: name.into(),
            inner,
        }
    }

    /// The tree's name in its engine.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The engine's tree (for `Engine::transaction`).
    pub fn engine_tree(&self) -> &dyn KvTree {
        self.inner.as_ref()
    }

    pub fn get<K: AsRef<[u8]>>(&self, key: K) -> Result<Option<Vec<u8>>> {
        self.inner.get(key.as_ref())
    }

    pub fn contains_key<K: AsRef<[u8]>>(&self, key: K) -> Result<bool> {
        Ok(self.inner.get(key.as_ref())?.is_some())
    }

    pub fn insert<K: AsRef<[u8]>, V: AsRef<[u8]>>(
        &self,
        key: K,
        value: V,
    ) -> Result<Option<Vec<u8>>> {
        self.inner.insert(key.as_ref(), value.as_ref())
    }

    pub fn remove<K: AsRef<[u8]>>(&self, key: K) -> Result<Option<Vec<u8>>> {
        self.inner.remove(key.as_ref())
    }

    /// Sets `key` to `new` if it holds `old` (None: absent); else answers what it holds.
    pub fn compare_and_swap<K: AsRef<[u8]>, O: AsRef<[u8]>, N: AsRef<[u8]>>(
        &self,
        key: K,
        old: Option<O>,
        new: Option<N>,
    ) -> Result<Swapped> {
        let old = old.as_ref().map(|o| o.as_ref());
        let new = new.as_ref().map(|n| n.as_ref());
        self.inner.compare_and_swap(key.as_ref(), old, new)
    }

    /// Applies a batch atomically.
    pub fn apply_batch(&self, batch: Batch) -> Result<()> {
        self.inner.apply_batch(batch)
    }

    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// Every entry, in key order.
    pub fn iter(&self) -> Entries {
        self.inner.range(Bound::Unbounded, Bound::Unbounded)
    }

    /// The entries whose key starts with `prefix`, in key order (`.rev()`: reverse order).
    pub fn scan_prefix<P: AsRef<[u8]>>(&self, prefix: P) -> Entries {
        let prefix = prefix.as_ref();
        match prefix_end(prefix) {
            Some(end) => self
                .inner
                .range(Bound::Included(prefix), Bound::Excluded(&end)),
            None => self.inner.range(Bound::Included(prefix), Bound::Unbounded),
        }
    }

    /// The entries with keys in `[from, to)` (`to` None: to the end), in both directions.
    /// Empty when `from` is not below `to`.
    pub fn range<F: AsRef<[u8]>, T: AsRef<[u8]>>(&self, from: F, to: Option<T>) -> Entries {
        let from = from.as_ref();
        match to.as_ref().map(|t| t.as_ref()) {
            Some(to) if to <= from => Box::new(std::iter::empty()),
            Some(to) => self.inner.range(Bound::Included(from), Bound::Excluded(to)),
            None => self.inner.range(Bound::Included(from), Bound::Unbounded),
        }
    }

    /// The entries of `prefix` after the cursor `after` (a full key; None: from the start),
    /// in key order; or, with `reverse`, those before it in reverse key order. A page of n
    /// entries costs O(n), wherever the cursor is.
    pub fn scan_from<P: AsRef<[u8]>>(
        &self,
        prefix: P,
        after: Option<&[u8]>,
        reverse: bool,
    ) -> Entries {
        let prefix = prefix.as_ref();
        // The engines' ranges may refuse a start above the end: a cursor outside the prefix
        // reads nothing.
        if after.is_some_and(|k| !k.starts_with(prefix)) {
            return Box::new(std::iter::empty());
        }
        let end = prefix_end(prefix);
        let end_bound = match &end {
            Some(e) => Bound::Excluded(e.as_slice()),
            None => Bound::Unbounded,
        };
        let (from, to) = match (reverse, after) {
            (false, Some(k)) => (Bound::Excluded(k), end_bound),
            (false, None) => (Bound::Included(prefix), end_bound),
            (true, Some(k)) => (Bound::Included(prefix), Bound::Excluded(k)),
            (true, None) => (Bound::Included(prefix), end_bound),
        };
        let entries = self.inner.range(from, to);
        match reverse {
            true => Box::new(entries.rev()),
            false => entries,
        }
    }
}
