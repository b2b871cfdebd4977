//! Group commit: one thread makes the database durable for every waiter that asked before
//! the round started, so many concurrent requests cost one `fsync`, not one each. Writes can be
//! staged for the next round (`stage`): the round applies every staged group of one tree as a
//! single batch before it flushes, because one sled batch per request costs two log writes
//! and ~150 µs (see BENCHMARKS.md, Inbox) while one merged batch for many requests costs a few µs
//! each.

use crate::base::error::{ActorError, Result};
use crate::storage::engine::Batch;
use crate::storage::engine::Engine;
use crate::storage::tree::Tree;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use tokio::sync::watch;

/// One write of a staged group: a key of the group's tree and its new value (None removes it).
pub type Write = (Vec<u8>, Option<Vec<u8>>);

/// Writes to one tree that must be applied together.
struct Group {
    tree: Tree,
    writes: Vec<Write>,
}

#[derive(Default)]
struct State {
    /// Tickets handed out so far (a flush request or a staged group each take one).
    requested: u64,
    /// Groups staged since the last round started, in staging order.
    staged: Vec<Group>,
    /// Set when the store is closing.
    stop: bool,
}

/// What the committing thread has done: the last ticket covered by a successful round, and
/// the first failure. A failure is final: the engine's write and flush errors mean the database can no
/// longer be trusted, so every later ticket fails too (a waiter is never told that something
/// is durable when a round it depends on failed).
#[derive(Clone, Default)]
struct Done {
    ok_up_to: u64,
    failed: Option<String>,
}

/// The committing thread and its waiters. Dropped with the last `Store`; applies what is staged,
/// flushes and joins its thread, so the database is closed when the drop returns.
pub struct GroupCommit {
    state: Arc<(Mutex<State>, Condvar)>,
    done: watch::Receiver<Done>,
    thread: Option<JoinHandle<()>>,
}

fn lock(m: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

/// Applies the staged groups, one batch per tree (groups of a tree keep their order, so a
/// later write of a key wins), then flushes.
fn commit_round(engine: &dyn Engine, staged: Vec<Group>) -> Result<()> {
    let mut batches: Vec<(Tree, Batch)> = Vec::new();
    for group in staged {
        let i = match batches
            .iter()
            .position(|(t, _)| t.name() == group.tree.name())
        {
            Some(i) => i,
            None => {
                batches.push((group.tree.clone(), Batch::default()));
                batches.len() - 1
            }
        };
        batches[i].1.writes.extend(group.writes);
    }
    for (tree, batch) in batches {
        tree.apply_batch(batch)?;
    }
    engine.flush()
}

impl GroupCommit {
    /// Starts the committing thread for `engine`.
    pub fn start(engine: Arc<dyn Engine>) -> Result<GroupCommit> {
        let state = Arc::new((Mutex::new(State::default()), Condvar::new()));
        let (tx, rx) = watch::channel(Done::default());
        let shared = state.clone();
        let thread = std::thread::Builder::new()
            .name("orchard-flush".into())
            .spawn(move || {
                let (lock_state, cv) = &*shared;
                let mut flushed = 0u64;
                loop {
                    let (target, staged) = {
                        let mut st = lock(lock_state);
                        while st.requested == flushed && !st.stop {
                            st = match cv.wait(st) {
                                Ok(g) => g,
                                Err(p) => p.into_inner(),
                            };
                        }
                        if st.requested == flushed && st.stop {
                            break;
                        }
                        (st.requested, std::mem::take(&mut st.staged))
                    };
                    let failed_before = tx.borrow().failed.is_some();
                    let result = if failed_before {
                        Err("an earlier commit failed; restart the server".to_string())
                    } else {
                        commit_round(engine.as_ref(), staged).map_err(|e| {
                            tracing::error!(error = %e, "group commit failed; no further writes will be acknowledged");
                            e.to_string()
                        })
                    };
                    flushed = target;
                    tx.send_modify(|done| match result {
                        Ok(()) => done.ok_up_to = target,
                        Err(e) => {
                            done.failed.get_or_insert(e);
                        }
                    });
                }
                let _ = engine.flush();
            })
            .map_err(|e| ActorError::Task(format!("cannot start the flush thread: {e}")))?;
        Ok(GroupCommit {
            state,
            done: rx,
            thread: Some(thread),
        })
    }

    /// Takes a ticket for the next round, staging `group` (writes to `tree`) for it if given.
    fn ticket(&self, group: Option<Group>) -> u64 {
        let (m, cv) = &*self.state;
        let mut st = lock(m);
        st.requested += 1;
        if let Some(g) = group {
            st.staged.push(g);
        }
        cv.notify_one();
        st.requested
    }

    /// Stages writes to `tree`, applied atomically (and made durable) by the next round. Answers
    /// the ticket to `wait` for. Until then nothing of it is visible in the tree.
    pub fn stage(&self, tree: &Tree, writes: Vec<Write>) -> u64 {
        self.ticket(Some(Group {
            tree: tree.clone(),
            writes,
        }))
    }

    /// A ticket for a round that starts after this call (for `wait`).
    pub fn request(&self) -> u64 {
        self.ticket(None)
    }

    /// Waits until the round covering `ticket` has completed: everything written before the
    /// ticket was taken, and what was staged with it, is durable.
    pub async fn wait(&self, ticket: u64) -> Result<()> {
        let mut rx = self.done.clone();
        let seen = rx
            .wait_for(|done| done.ok_up_to >= ticket || done.failed.is_some())
            .await
            .map_err(|_| ActorError::Task("the flush thread stopped".into()))?;
        match (&seen.failed, seen.ok_up_to >= ticket) {
            (_, true) => Ok(()),
            (Some(e), false) => Err(ActorError::Task(format!("commit failed: {e}"))),
            (None, false) => Err(ActorError::Task("commit state inconsistent".into())),
        }
    }

    /// Waits until a flush that started after this call has completed.
    pub async fn flush(&self) -> Result<()> {
        let ticket = self.request();
        self.wait(ticket).await
    }
}

impl Drop for GroupCommit {
    fn drop(&mut self) {
        {
            let (m, cv) = &*self.state;
            lock(m).stop = true;
            cv.notify_one();
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::sled_engine::SledEngine;

    fn open(dir: &std::path::Path) -> Arc<dyn Engine> {
        Arc::new(SledEngine::new(
            sled::Config::new().path(dir).open().unwrap(),
        ))
    }

    fn tree(engine: &Arc<dyn Engine>, name: &str) -> Tree {
        Tree::new(name, engine.open_tree(name).unwrap())
    }

    fn len(tree: &Tree) -> usize {
        tree.iter().count()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn many_waiters_share_flushes_and_all_return() {
        let dir = tempfile::tempdir().unwrap();
        let db = open(dir.path());
        let gc = Arc::new(GroupCommit::start(db.clone()).unwrap());
        let t = tree(&db, "t");
        let mut tasks = Vec::new();
        for i in 0..200u32 {
            let gc = gc.clone();
            let t = t.clone();
            tasks.push(tokio::spawn(async move {
                t.insert(i.to_be_bytes(), [1u8]).unwrap();
                gc.flush().await.unwrap();
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        drop(gc);
        drop((t, db));
        // Everything is on disk and the database can be reopened (the thread let go of it).
        let db = open(dir.path());
        assert_eq!(len(&tree(&db, "t")), 200);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn staged_groups_are_invisible_until_their_round_and_durable_after() {
        let dir = tempfile::tempdir().unwrap();
        let db = open(dir.path());
        let a = tree(&db, "a");
        let b = tree(&db, "b");
        a.insert("gone", "x").unwrap();
        let gc = Arc::new(GroupCommit::start(db.clone()).unwrap());
        let mut tasks = Vec::new();
        for i in 0..100u32 {
            let gc = gc.clone();
            let tree = if i % 2 == 0 { a.clone() } else { b.clone() };
            tasks.push(tokio::spawn(async move {
                let ticket = gc.stage(
                    &tree,
                    vec![
                        (format!("k{i}").into_bytes(), Some(b"1".to_vec())),
                        (format!("m{i}").into_bytes(), Some(b"2".to_vec())),
                        (b"gone".to_vec(), None),
                    ],
                );
                gc.wait(ticket).await.unwrap();
                assert!(tree.contains_key(format!("m{i}")).unwrap());
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        // Staged and dropped at once: the closing round still applies it.
        gc.stage(&b, vec![(b"last".to_vec(), Some(b"1".to_vec()))]);
        drop(gc);
        drop((a, b, db));
        let db = open(dir.path());
        let (a, b) = (tree(&db, "a"), tree(&db, "b"));
        assert_eq!(len(&a), 100);
        assert_eq!(len(&b), 101);
        assert!(!a.contains_key("gone").unwrap());
    }
}
