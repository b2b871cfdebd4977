//! The storage trait over sled 0.34: one sled `Db` is the engine, its trees the trees. The only
//! file (with `sled_open`) of the domain that names sled (a test of `flush` opens sled directly,
//! and benches compare against it).

use crate::base::error::{ActorError, Result};
use crate::storage::engine::{
    Batch, Engine, Entries, KvTree, Swapped, TxBody, TxError, TxResult, TxTree,
};
use crate::storage::sled_open::storage_error;
use sled::transaction::{
    ConflictableTransactionError, TransactionError, UnabortableTransactionError,
};
use sled::Transactional;
use std::any::Any;
use std::ops::Bound;
use std::sync::Arc;

/// A sled database.
pub struct SledEngine {
    db: sled::Db,
}

/// A sled tree.
pub struct SledTree {
    tree: sled::Tree,
}

impl SledEngine {
    /// Wraps an open database.
    pub fn new(db: sled::Db) -> SledEngine {
        SledEngine { db }
    }

    /// Opens (or creates) the database in `path` (see `sled_open`); `cache_bytes` bounds
    /// sled's page cache (None: sled's default, 1 GiB).
    pub fn open(path: &std::path::Path, cache_bytes: Option<u64>) -> Result<SledEngine> {
        Ok(SledEngine::new(crate::storage::sled_open::open(
            path,
            cache_bytes,
        )?))
    }
}

fn bytes(v: Option<sled::IVec>) -> Option<Vec<u8>> {
    v.map(|v| v.to_vec())
}

fn owned(b: Bound<&[u8]>) -> Bound<Vec<u8>> {
    match b {
        Bound::Included(k) => Bound::Included(k.to_vec()),
        Bound::Excluded(k) => Bound::Excluded(k.to_vec()),
        Bound::Unbounded => Bound::Unbounded,
    }
}

impl KvTree for SledTree {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.tree.get(key).map(bytes).map_err(storage_error)
    }

    fn insert(&self, key: &[u8], value: &[u8]) -> Result<Option<Vec<u8>>> {
        self.tree
            .insert(key, value)
            .map(bytes)
            .map_err(storage_error)
    }

    fn remove(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.tree.remove(key).map(bytes).map_err(storage_error)
    }

    fn compare_and_swap(
        &self,
        key: &[u8],
        old: Option<&[u8]>,
        new: Option<&[u8]>,
    ) -> Result<Swapped> {
        let swapped = self
            .tree
            .compare_and_swap(key, old, new)
            .map_err(storage_error)?;
        Ok(swapped.map_err(|e| bytes(e.current)))
    }

    fn apply_batch(&self, batch: Batch) -> Result<()> {
        let mut inner = sled::Batch::default();
        for (key, value) in batch.writes {
            match value {
                Some(v) => inner.insert(key, v),
                None => inner.remove(key),
            }
        }
        self.tree.apply_batch(inner).map_err(storage_error)
    }

    fn range(&self, from: Bound<&[u8]>, to: Bound<&[u8]>) -> Entries {
        let iter = self.tree.range::<Vec<u8>, _>((owned(from), owned(to)));
        Box::new(iter.map(|e| {
            e.map(|(k, v)| (k.to_vec(), v.to_vec()))
                .map_err(storage_error)
        }))
    }

    fn is_empty(&self) -> bool {
        self.tree.is_empty()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A tree inside a sled transaction.
struct SledTx<'a>(&'a sled::transaction::TransactionalTree);

fn tx_error(e: UnabortableTransactionError) -> TxError {
    match e {
        UnabortableTransactionError::Conflict => TxError::Conflict,
        UnabortableTransactionError::Storage(s) => TxError::Storage(storage_error(s)),
    }
}

impl TxTree for SledTx<'_> {
    fn get(&self, key: &[u8]) -> TxResult<Option<Vec<u8>>> {
        self.0.get(key).map(bytes).map_err(tx_error)
    }

    fn insert(&self, key: &[u8], value: &[u8]) -> TxResult<()> {
        self.0.insert(key, value).map(|_| ()).map_err(tx_error)
    }

    fn remove(&self, key: &[u8]) -> TxResult<()> {
        self.0.remove(key).map(|_| ()).map_err(tx_error)
    }
}

impl Engine for SledEngine {
    fn open_tree(&self, name: &str) -> Result<Arc<dyn KvTree>> {
        let tree = self.db.open_tree(name).map_err(storage_error)?;
        Ok(Arc::new(SledTree { tree }))
    }

    fn tree_names(&self) -> Vec<Vec<u8>> {
        self.db
            .tree_names()
            .into_iter()
            .map(|n| n.to_vec())
            .collect()
    }

    fn generate_id(&self) -> Result<u64> {
        self.db.generate_id().map_err(storage_error)
    }

    fn flush(&self) -> Result<()> {
        self.db.flush().map(|_| ()).map_err(storage_error)
    }

    fn size_on_disk(&self) -> Result<u64> {
        self.db.size_on_disk().map_err(storage_error)
    }

    fn transaction(&self, trees: &[&dyn KvTree], body: TxBody) -> Result<()> {
        let mut sled_trees = Vec::with_capacity(trees.len());
        for t in trees {
            match t.as_any().downcast_ref::<SledTree>() {
                Some(s) => sled_trees.push(&s.tree),
                None => return Err(ActorError::Transaction("a tree of another engine".into())),
            }
        }
        let done = sled_trees.as_slice().transaction(|views| {
            let wrapped: Vec<SledTx> = views.iter().map(SledTx).collect();
            let refs: Vec<&dyn TxTree> = wrapped.iter().map(|w| w as &dyn TxTree).collect();
            body(&refs).map_err(|e| match e {
                TxError::Abort(e) | TxError::Storage(e) => ConflictableTransactionError::Abort(e),
                TxError::Conflict => ConflictableTransactionError::Conflict,
            })
        });
        done.map_err(|e| match e {
            TransactionError::Abort(e) => e,
            TransactionError::Storage(s) => storage_error(s),
        })
    }
}
