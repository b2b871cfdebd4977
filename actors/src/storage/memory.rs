//! The storage trait in memory: each tree a `BTreeMap` behind a lock, nothing durable. For
//! unit tests (`Store::in_memory`): a handler's rules can be checked without a disk or a server.
//! Transactions run one at a time (one engine-wide lock) on an overlay of their writes, applied
//! on commit; so they are atomic and isolated from each other (not from plain writes, like
//! sled's).

use crate::base::error::Result;
use crate::storage::engine::{Batch, Engine, Entries, KvTree, Swapped, TxBody, TxResult, TxTree};
use std::any::Any;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

type Map = BTreeMap<Vec<u8>, Vec<u8>>;

/// An in-memory database.
#[derive(Default)]
pub struct MemoryEngine {
    trees: Mutex<BTreeMap<String, Arc<MemoryTree>>>,
    ids: AtomicU64,
    transactions: Mutex<()>,
}

/// An in-memory tree.
#[derive(Default)]
pub struct MemoryTree {
    map: RwLock<Map>,
}

fn guard<T>(r: std::sync::LockResult<T>) -> T {
    r.unwrap_or_else(|p| p.into_inner())
}

impl MemoryTree {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Map> {
        guard(self.map.read())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Map> {
        guard(self.map.write())
    }
}

fn owned(b: Bound<&[u8]>) -> Bound<Vec<u8>> {
    b.map(<[u8]>::to_vec)
}

impl KvTree for MemoryTree {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        Ok(self.read().get(key).cloned())
    }

    fn insert(&self, key: &[u8], value: &[u8]) -> Result<Option<Vec<u8>>> {
        Ok(self.write().insert(key.to_vec(), value.to_vec()))
    }

    fn remove(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        Ok(self.write().remove(key))
    }

    fn compare_and_swap(
        &self,
        key: &[u8],
        old: Option<&[u8]>,
        new: Option<&[u8]>,
    ) -> Result<Swapped> {
        let mut map = self.write();
        let current = map.get(key);
        if current.map(Vec::as_slice) != old {
            return Ok(Err(current.cloned()));
        }
        match new {
            Some(v) => map.insert(key.to_vec(), v.to_vec()),
            None => map.remove(key),
        };
        Ok(Ok(()))
    }

    fn apply_batch(&self, batch: Batch) -> Result<()> {
        let mut map = self.write();
        for (key, value) in batch.writes {
            match value {
                Some(v) => map.insert(key, v),
                None => map.remove(&key),
            };
        }
        Ok(())
    }

    /// Copies the range out under the lock: O(range), which is fine for tests.
    fn range(&self, from: Bound<&[u8]>, to: Bound<&[u8]>) -> Entries {
        let entries: Vec<_> = self
            .read()
            .range::<Vec<u8>, _>((owned(from), owned(to)))
            .map(|(k, v)| Ok((k.clone(), v.clone())))
            .collect();
        Box::new(entries.into_iter())
    }

    fn is_empty(&self) -> bool {
        self.read().is_empty()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A tree inside a transaction: its writes so far (None: removed) over the tree.
struct MemoryTx<'a> {
    tree: &'a MemoryTree,
    writes: RefCell<BTreeMap<Vec<u8>, Option<Vec<u8>>>>,
}

impl TxTree for MemoryTx<'_> {
    fn get(&self, key: &[u8]) -> TxResult<Option<Vec<u8>>> {
        match self.writes.borrow().get(key) {
            Some(written) => Ok(written.clone()),
            None => Ok(self.tree.read().get(key).cloned()),
        }
    }

    fn insert(&self, key: &[u8], value: &[u8]) -> TxResult<()> {
        self.writes
            .borrow_mut()
            .insert(key.to_vec(), Some(value.to_vec()));
        Ok(())
    }

    fn remove(&self, key: &[u8]) -> TxResult<()> {
        self.writes.borrow_mut().insert(key.to_vec(), None);
        Ok(())
    }
}

impl Engine for MemoryEngine {
    fn open_tree(&self, name: &str) -> Result<Arc<dyn KvTree>> {
        let mut trees = guard(self.trees.lock());
        let tree = trees.entry(name.to_string()).or_default().clone();
        Ok(tree)
    }

    fn tree_names(&self) -> Vec<Vec<u8>> {
        guard(self.trees.lock())
            .keys()
            .map(|k| k.as_bytes().to_vec())
            .collect()
    }

    fn generate_id(&self) -> Result<u64> {
        Ok(self.ids.fetch_add(1, Ordering::SeqCst))
    }

    fn flush(&self) -> Result<()> {
        Ok(())
    }

    fn size_on_disk(&self) -> Result<u64> {
        Ok(0)
    }

    fn transaction(&self, trees: &[&dyn KvTree], body: TxBody) -> Result<()> {
        let _one_at_a_time = guard(self.transactions.lock());
        let mut views = Vec::with_capacity(trees.len());
        for t in trees {
            let Some(tree) = t.as_any().downcast_ref::<MemoryTree>() else {
                return Err(crate::base::error::ActorError::Transaction(
                    "a tree of another engine".into(),
                ));
            };
            views.push(MemoryTx {
                tree,
                writes: RefCell::default(),
            });
        }
        let refs: Vec<&dyn TxTree> = views.iter().map(|v| v as &dyn TxTree).collect();
        match body(&refs) {
            Ok(()) => {}
            Err(crate::storage::engine::TxError::Abort(e))
            | Err(crate::storage::engine::TxError::Storage(e)) => return Err(e),
            Err(crate::storage::engine::TxError::Conflict) => {
                return Err(crate::base::error::ActorError::Transaction(
                    "conflict".into(),
                ))
            }
        }
        for view in views {
            let writes = view.writes.into_inner().into_iter().collect();
            view.tree.apply_batch(Batch { writes })?;
        }
        Ok(())
    }
}
