//! The write gate: lets a reader take one consistent view of every tree (a backup's dump,
//! `export`) while the server runs. Every write of every tree (inserts, removes,
//! compare-and-swaps, batches, transactions, the group commit's rounds) passes the gate;
//! `Gate::freeze` waits for the writes in progress to end and holds new ones until its guard is
//! dropped. Reads never wait. `GatedEngine` wraps an engine so that every tree it opens passes
//! the gate.

use crate::base::error::{ActorError, Result};
use crate::storage::engine::{Batch, Engine, Entries, KvTree, Swapped, TxBody};
use std::any::Any;
use std::ops::Bound;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

#[derive(Default)]
struct State {
    /// Writes in progress.
    writing: usize,
    /// Set while a freeze holds (or waits for) the gate.
    frozen: bool,
}

/// The gate shared by every tree of one store.
#[derive(Default)]
pub struct Gate {
    state: Mutex<State>,
    changed: Condvar,
}

fn lock(m: &Mutex<State>) -> MutexGuard<'_, State> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

/// A write in progress; the gate counts it until dropped.
pub struct Writing<'a>(&'a Gate);

impl Drop for Writing<'_> {
    fn drop(&mut self) {
        let mut st = lock(&self.0.state);
        st.writing = st.writing.saturating_sub(1);
        // Only a freeze waits for writes to end (a wake-up costs a system call per write).
        if st.frozen && st.writing == 0 {
            self.0.changed.notify_all();
        }
    }
}

/// Holds every write until dropped (`Gate::freeze`).
pub struct Frozen {
    gate: Arc<Gate>,
}

impl Drop for Frozen {
    fn drop(&mut self) {
        lock(&self.gate.state).frozen = false;
        self.gate.changed.notify_all();
    }
}

impl Gate {
    /// Enters a write: waits while the gate is frozen.
    pub fn write(&self) -> Writing<'_> {
        let mut st = lock(&self.state);
        while st.frozen {
            st = match self.changed.wait(st) {
                Ok(g) => g,
                Err(p) => p.into_inner(),
            };
        }
        st.writing += 1;
        Writing(self)
    }

    /// Freezes the gate: waits (at most `wait`) for the writes in progress to end, then holds
    /// every new write until the guard is dropped. A second freeze waits for the first. When the
    /// writes do not end in time (a write waiting on another inside a transaction would never
    /// end), the freeze gives up, lets them on and answers an error. Blocking.
    pub fn freeze(self: &Arc<Self>, wait: Duration) -> Result<Frozen> {
        let deadline = Instant::now() + wait;
        let busy = || {
            ActorError::Task(format!(
                "the database stayed busy for {} s: try again",
                wait.as_secs()
            ))
        };
        let mut st = lock(&self.state);
        while st.frozen {
            let left = deadline
                .checked_duration_since(Instant::now())
                .ok_or_else(busy)?;
            st = self.wait(st, left);
        }
        // Claimed: new writes wait, the ones in progress drain.
        st.frozen = true;
        while st.writing > 0 {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                st.frozen = false;
                self.changed.notify_all();
                return Err(busy());
            };
            st = self.wait(st, left);
        }
        Ok(Frozen { gate: self.clone() })
    }

    fn wait<'a>(&self, st: MutexGuard<'a, State>, left: Duration) -> MutexGuard<'a, State> {
        match self.changed.wait_timeout(st, left) {
            Ok((g, _)) => g,
            Err(p) => p.into_inner().0,
        }
    }
}

/// A tree whose writes pass the gate.
struct GatedTree {
    inner: Arc<dyn KvTree>,
    gate: Arc<Gate>,
}

impl KvTree for GatedTree {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.inner.get(key)
    }

    fn insert(&self, key: &[u8], value: &[u8]) -> Result<Option<Vec<u8>>> {
        let _w = self.gate.write();
        self.inner.insert(key, value)
    }

    fn remove(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        let _w = self.gate.write();
        self.inner.remove(key)
    }

    fn compare_and_swap(
        &self,
        key: &[u8],
        old: Option<&[u8]>,
        new: Option<&[u8]>,
    ) -> Result<Swapped> {
        let _w = self.gate.write();
        self.inner.compare_and_swap(key, old, new)
    }

    fn apply_batch(&self, batch: Batch) -> Result<()> {
        let _w = self.gate.write();
        self.inner.apply_batch(batch)
    }

    fn range(&self, from: Bound<&[u8]>, to: Bound<&[u8]>) -> Entries {
        self.inner.range(from, to)
    }

    fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// The engine's own tree: its `transaction` finds the type it needs.
    fn as_any(&self) -> &dyn Any {
        self.inner.as_any()
    }
}

/// An engine whose trees' writes and transactions pass the gate.
pub struct GatedEngine {
    inner: Arc<dyn Engine>,
    gate: Arc<Gate>,
}

impl GatedEngine {
    pub fn new(inner: Arc<dyn Engine>, gate: Arc<Gate>) -> GatedEngine {
        GatedEngine { inner, gate }
    }
}

impl Engine for GatedEngine {
    fn open_tree(&self, name: &str) -> Result<Arc<dyn KvTree>> {
        Ok(Arc::new(GatedTree {
            inner: self.inner.open_tree(name)?,
            gate: self.gate.clone(),
        }))
    }

    fn tree_names(&self) -> Vec<Vec<u8>> {
        self.inner.tree_names()
    }

    fn generate_id(&self) -> Result<u64> {
        self.inner.generate_id()
    }

    fn flush(&self) -> Result<()> {
        self.inner.flush()
    }

    fn size_on_disk(&self) -> Result<u64> {
        self.inner.size_on_disk()
    }

    fn transaction(&self, trees: &[&dyn KvTree], body: TxBody) -> Result<()> {
        let _w = self.gate.write();
        self.inner.transaction(trees, body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::memory::MemoryEngine;

    fn gated() -> (Arc<Gate>, Arc<dyn KvTree>) {
        let gate = Arc::new(Gate::default());
        let engine = GatedEngine::new(Arc::new(MemoryEngine::default()), gate.clone());
        (gate, engine.open_tree("t").unwrap())
    }

    #[test]
    fn writes_wait_while_frozen_and_reads_do_not() {
        let (gate, tree) = gated();
        tree.insert(b"a", b"1").unwrap();
        let frozen = gate.freeze(Duration::from_secs(1)).unwrap();
        let writer = {
            let tree = tree.clone();
            std::thread::spawn(move || tree.insert(b"b", b"2").unwrap())
        };
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(tree.get(b"a").unwrap(), Some(b"1".to_vec()), "reads go on");
        assert_eq!(tree.get(b"b").unwrap(), None, "the write waits");
        drop(frozen);
        writer.join().unwrap();
        assert_eq!(tree.get(b"b").unwrap(), Some(b"2".to_vec()));
    }

    #[test]
    fn a_freeze_waits_for_the_write_in_progress_and_gives_up_in_time() {
        let gate = Arc::new(Gate::default());
        let writing = gate.write();
        let err = gate.freeze(Duration::from_millis(50)).err().unwrap();
        assert!(err.to_string().contains("busy"), "{err}");
        // The failed freeze let go of the gate: writes pass.
        drop(gate.write());
        let g2 = gate.clone();
        let freezer = std::thread::spawn(move || g2.freeze(Duration::from_secs(5)).is_ok());
        std::thread::sleep(Duration::from_millis(50));
        drop(writing);
        assert!(freezer.join().unwrap());
    }

    #[test]
    fn a_second_freeze_waits_for_the_first() {
        let gate = Arc::new(Gate::default());
        let first = gate.freeze(Duration::from_secs(1)).unwrap();
        assert!(gate.freeze(Duration::from_millis(50)).is_err());
        drop(first);
        assert!(gate.freeze(Duration::from_millis(50)).is_ok());
    }
}
