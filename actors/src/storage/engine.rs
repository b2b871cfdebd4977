//! The storage trait: everything Orchard asks of a storage engine. An engine holds named,
//! ordered key-value trees (`KvTree`: get, insert, remove, compare-and-swap, atomic batches and
//! range scans in both directions) and runs transactions over several of them (`Engine`). The
//! domain sees only these traits, through `Tree` and `Store`; `sled_engine` implements them over
//! sled, `memory` over BTreeMaps (unit tests). Another engine is one more file beside those.

use crate::base::error::{ActorError, Result};
use std::any::Any;
use std::ops::Bound;

/// A key and its value, as stored.
pub type Entry = (Vec<u8>, Vec<u8>);

/// Entries of a scan in key order (`next`) or reverse key order (`next_back`), read lazily: a
/// scan that stops after n entries costs O(n), whatever the size of the tree.
pub type Entries = Box<dyn DoubleEndedIterator<Item = Result<Entry>>>;

/// What a compare-and-swap did: Ok when it swapped, else Err with the value it found.
pub type Swapped = std::result::Result<(), Option<Vec<u8>>>;

/// Writes applied atomically to one tree, in order (a later write of a key wins). A value of
/// None removes the key.
#[derive(Debug, Default, Clone)]
pub struct Batch {
    pub writes: Vec<(Vec<u8>, Option<Vec<u8>>)>,
}

impl Batch {
    pub fn insert<K: AsRef<[u8]>, V: AsRef<[u8]>>(&mut self, key: K, value: V) {
        self.writes
            .push((key.as_ref().to_vec(), Some(value.as_ref().to_vec())));
    }

    pub fn remove<K: AsRef<[u8]>>(&mut self, key: K) {
        self.writes.push((key.as_ref().to_vec(), None));
    }

    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }
}

/// One ordered key-value tree of an engine. Every write is atomic on its own; `apply_batch` is
/// atomic as a whole. Durability comes from `Engine::flush` (what is not flushed may be lost in
/// a crash, as a whole batch or not at all).
pub trait KvTree: Send + Sync + 'static {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>>;
    /// Sets `key`; answers the previous value.
    fn insert(&self, key: &[u8], value: &[u8]) -> Result<Option<Vec<u8>>>;
    /// Removes `key`; answers the previous value.
    fn remove(&self, key: &[u8]) -> Result<Option<Vec<u8>>>;
    /// Sets `key` to `new` (None removes it) if its value is `old` (None: absent).
    fn compare_and_swap(
        &self,
        key: &[u8],
        old: Option<&[u8]>,
        new: Option<&[u8]>,
    ) -> Result<Swapped>;
    fn apply_batch(&self, batch: Batch) -> Result<()>;
    /// The entries with keys within the bounds (`from` <= `to`), lazily, in both directions.
    fn range(&self, from: Bound<&[u8]>, to: Bound<&[u8]>) -> Entries;
    fn is_empty(&self) -> bool;
    /// For the engine's `transaction`, which needs its own tree type back.
    fn as_any(&self) -> &dyn Any;
}

/// Why a transaction's closure stopped: an abort with the domain's error (the transaction
/// writes nothing and answers it), a conflict with a concurrent transaction (the engine runs the
/// closure again), or a storage failure.
#[derive(Debug)]
pub enum TxError {
    Abort(ActorError),
    Conflict,
    Storage(ActorError),
}

impl From<ActorError> for TxError {
    fn from(e: ActorError) -> Self {
        TxError::Abort(e)
    }
}

/// Result of a step inside a transaction.
pub type TxResult<T> = std::result::Result<T, TxError>;

/// One tree inside a transaction: reads see the transaction's own writes; nothing is visible
/// to others before the transaction commits, and then all of it is.
pub trait TxTree {
    fn get(&self, key: &[u8]) -> TxResult<Option<Vec<u8>>>;
    fn insert(&self, key: &[u8], value: &[u8]) -> TxResult<()>;
    fn remove(&self, key: &[u8]) -> TxResult<()>;
}

/// The closure of a transaction, given one `TxTree` per tree, in the order asked for. It may
/// run more than once (after a conflict): it must not have effects outside the trees.
pub type TxBody<'a> = &'a dyn Fn(&[&dyn TxTree]) -> TxResult<()>;

/// A storage engine: a set of named trees in one database.
pub trait Engine: Send + Sync + 'static {
    /// The tree called `name`, created empty if it does not exist.
    fn open_tree(&self, name: &str) -> Result<std::sync::Arc<dyn KvTree>>;
    /// Names of every tree, including the engine's own (in no particular order).
    fn tree_names(&self) -> Vec<Vec<u8>>;
    /// A unique id, increasing across restarts.
    fn generate_id(&self) -> Result<u64>;
    /// Makes every write so far durable. Blocking.
    fn flush(&self) -> Result<()>;
    /// Bytes the database takes on disk.
    fn size_on_disk(&self) -> Result<u64>;
    /// Runs `body` atomically over `trees` (trees of this engine). Either all its writes
    /// commit or none; an abort answers the abort's error.
    fn transaction(&self, trees: &[&dyn KvTree], body: TxBody) -> Result<()>;
}
