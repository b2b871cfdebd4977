//! The database handle: the engine, the instance tree, each actor's keyspace (`ActorKeyspace`:
//! the keys `<id> 0x00 ...` of its kind's shared tree), transactions, the group commit and the
//! integrity marker. Key layouts are in `layout`.

use crate::base::error::{ActorError, Result};
use crate::base::kind::ActorRef;
use crate::storage::codec::decode_u64;
use crate::storage::engine::{Engine, TxResult, TxTree};
use crate::storage::keyspace::ActorKeyspace;
use crate::storage::layout::{self, ACTOR_INDEX, COUNTER, INSTANCE_TREE};
use crate::storage::tree::Tree;
use std::path::Path;
use std::sync::Arc;

/// The database. Cheap to clone (handles are reference counted).
#[derive(Clone)]
pub struct Store {
    engine: Arc<dyn Engine>,
    instance: Tree,
    /// One shared tree per actor kind, in `ActorKind::ALL` order (see `keyspace`).
    kinds: Arc<Vec<Tree>>,
    flusher: Arc<crate::storage::flush::GroupCommit>,
    /// Dropped after `flusher` (field order): records the clean close in the integrity marker.
    /// None for a store without a directory (in memory).
    integrity: Option<Arc<CleanClose>>,
    /// Every write of every tree passes it (`gate`): `freeze` holds them for a backup's dump.
    gate: Arc<crate::storage::gate::Gate>,
}

/// Records a clean close (`integrity::close_clean`) when the last `Store` handle is dropped,
/// after the group commit has applied and flushed everything.
struct CleanClose {
    dir: std::path::PathBuf,
    engine: Arc<dyn Engine>,
}

impl Drop for CleanClose {
    fn drop(&mut self) {
        if !self.dir.exists() {
            return; // removed while open (a test's temporary directory): nothing to record
        }
        if let Err(e) = crate::storage::integrity::close_clean(&self.dir, self.engine.as_ref()) {
            tracing::error!(path = %self.dir.display(), error = %e, "recording the clean close of the database failed; the next start checks less");
        }
    }
}

fn open_tree(engine: &dyn Engine, name: &str) -> Result<Tree> {
    Ok(Tree::new(name, engine.open_tree(name)?))
}

impl Store {
    /// Opens (or creates) the database in `path` with sled's default cache (1 GiB).
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with_cache(path, None)
    }

    /// Opens (or creates) the sled database in `path`; `cache_bytes` bounds its page cache
    /// (None: sled's default, 1 GiB). Refuses a database that lost data
    /// (`ActorError::Damaged`, see `integrity`).
    pub fn open_with_cache(path: &Path, cache_bytes: Option<u64>) -> Result<Store> {
        let used = crate::storage::integrity::was_used(path);
        let engine: Arc<dyn Engine> = Arc::new(crate::storage::sled_engine::SledEngine::open(
            path,
            cache_bytes,
        )?);
        crate::storage::integrity::check_and_begin(path, engine.as_ref(), used)?;
        let integrity = Arc::new(CleanClose {
            dir: path.to_path_buf(),
            engine: engine.clone(),
        });
        Store::with_engine(engine, Some(integrity))
    }

    /// A store in memory (`storage::memory`): nothing durable, no directory. For unit tests.
    pub fn in_memory() -> Result<Store> {
        Store::with_engine(
            Arc::new(crate::storage::memory::MemoryEngine::default()),
            None,
        )
    }

    fn with_engine(engine: Arc<dyn Engine>, integrity: Option<Arc<CleanClose>>) -> Result<Store> {
        let gate = Arc::new(crate::storage::gate::Gate::default());
        let engine: Arc<dyn Engine> =
            Arc::new(crate::storage::gate::GatedEngine::new(engine, gate.clone()));
        let instance = open_tree(engine.as_ref(), INSTANCE_TREE)?;
        let kinds = crate::base::kind::ActorKind::ALL
            .iter()
            .map(|k| open_tree(engine.as_ref(), k.tree_prefix()))
            .collect::<Result<Vec<_>>>()?;
        let flusher = Arc::new(crate::storage::flush::GroupCommit::start(engine.clone())?);
        Ok(Store {
            engine,
            instance,
            kinds: Arc::new(kinds),
            flusher,
            integrity,
            gate,
        })
    }

    /// The instance tree.
    pub fn instance(&self) -> &Tree {
        &self.instance
    }

    /// The keyspace of one actor: the keys of its kind's tree under `<id> 0x00`.
    pub fn keyspace(&self, r: &ActorRef) -> Result<ActorKeyspace> {
        let i = crate::base::kind::ActorKind::ALL
            .iter()
            .position(|k| *k == r.kind)
            .unwrap_or(0);
        let tree = self
            .kinds
            .get(i)
            .cloned()
            .ok_or_else(|| ActorError::Corrupt(format!("no tree for {}", r.kind)))?;
        Ok(ActorKeyspace::new(tree, &r.id))
    }

    /// The index keyspace of a kind's tree: the keys under `0x00`, which no actor owns (ids
    /// are never empty). Holds the kind's `pending` index and shared bodies.
    pub fn kind_index(&self, kind: crate::base::kind::ActorKind) -> Result<ActorKeyspace> {
        self.keyspace(&ActorRef::new(kind, ""))
    }

    /// Runs `body` atomically over `trees` (given one `TxTree` each, in order): all its writes
    /// or none. It may run more than once (after a conflict). An abort answers its error.
    pub fn transaction<T>(
        &self,
        trees: &[&Tree],
        body: impl Fn(&[&dyn TxTree]) -> TxResult<T>,
    ) -> Result<T> {
        let out = std::cell::RefCell::new(None);
        let engine_trees: Vec<_> = trees.iter().map(|t| t.engine_tree()).collect();
        self.engine.transaction(&engine_trees, &|views| {
            let value = body(views)?;
            *out.borrow_mut() = Some(value);
            Ok(())
        })?;
        out.into_inner()
            .ok_or_else(|| ActorError::Transaction("the transaction answered nothing".into()))
    }

    /// Stages writes to one tree (full keys: `ActorKeyspace::full_key`) for the next group
    /// commit, which applies them atomically together with every other group staged for the
    /// same tree and makes them durable. Answers the ticket to wait `committed` on. Not
    /// visible before.
    pub fn stage(&self, tree: &Tree, writes: Vec<crate::storage::flush::Write>) -> u64 {
        self.flusher.stage(tree, writes)
    }

    /// Waits until the group commit covering `ticket` is durable.
    pub async fn committed(&self, ticket: u64) -> Result<()> {
        self.flusher.wait(ticket).await
    }

    /// A ticket for a group commit that starts after this call (see `committed`).
    pub fn commit_ticket(&self) -> u64 {
        self.flusher.request()
    }

    /// A named tree that belongs to no actor (e.g. the delivery queue).
    pub fn tree(&self, name: &str) -> Result<Tree> {
        open_tree(self.engine.as_ref(), name)
    }

    /// A unique, monotonic id (across restarts).
    pub fn generate_id(&self) -> Result<u64> {
        self.engine.generate_id()
    }

    /// True when the actor is in the instance's actor index.
    pub fn actor_exists(&self, r: &ActorRef) -> Result<bool> {
        self.instance
            .contains_key(layout::key(ACTOR_INDEX, r.tree_name().as_bytes()))
    }

    /// Reads a counter from the instance tree.
    pub fn counter(&self, name: &str) -> Result<u64> {
        Ok(self
            .instance
            .get(layout::key(COUNTER, name.as_bytes()))?
            .map(|v| decode_u64(&v))
            .unwrap_or(0))
    }

    /// Durably writes everything written so far. Blocking: call from a blocking thread.
    pub fn flush_blocking(&self) -> Result<()> {
        self.engine.flush()
    }

    /// Durably writes everything written so far, off the async threads. Concurrent callers
    /// share one flush (group commit): sled's own `flush_async` hangs under many concurrent
    /// waiters, and one `fsync` per request would cap throughput.
    pub async fn flush(&self) -> Result<()> {
        self.flusher.flush().await
    }

    /// Records a clean close in the integrity marker now (after `flush`), instead of only when
    /// the last handle is dropped: the server calls it once everything has stopped, so a stop is
    /// recorded even if a handle lingers. The last drop records it again (covering any later
    /// write). Blocking: reads the whole database for its checksum.
    pub fn close_clean(&self) -> Result<()> {
        match &self.integrity {
            Some(c) => crate::storage::integrity::close_clean(&c.dir, c.engine.as_ref()),
            None => Ok(()),
        }
    }

    /// Holds every write (waiting at most `wait` for those in progress) until the guard is
    /// dropped; reads go on. A dump taken meanwhile is one point in time (`export`). Blocking.
    pub fn freeze(&self, wait: std::time::Duration) -> Result<crate::storage::gate::Frozen> {
        self.gate.freeze(wait)
    }

    /// The names of every tree of the database (the engine's own included), sorted.
    pub fn tree_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .engine
            .tree_names()
            .into_iter()
            .map(|n| String::from_utf8_lossy(&n).into_owned())
            .collect();
        names.sort();
        names
    }

    /// Size of the database on disk, in bytes.
    pub fn size_on_disk(&self) -> Result<u64> {
        self.engine.size_on_disk()
    }
}

/// Appends a value to a sequence collection of a keyspace and returns its sequence number.
/// The sequence is one more than the last key of the collection (0 for an empty one).
pub fn append(tree: &ActorKeyspace, collection: &str, value: &[u8]) -> Result<u64> {
    let pre = layout::prefix(collection);
    let next = match tree.scan_prefix(&pre).next_back() {
        Some(entry) => {
            let (k, _) = entry?;
            decode_u64(&k[pre.len()..]) + 1
        }
        None => 0,
    };
    tree.insert(layout::seq_key(collection, next), value)?;
    Ok(next)
}

/// Counts the items of a collection.
pub fn count(tree: &ActorKeyspace, collection: &str) -> usize {
    tree.scan_prefix(layout::prefix(collection)).count()
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
