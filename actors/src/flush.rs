//! Group commit: one thread flushes the sled database for every waiter that asked before the
//! flush started, so many concurrent requests cost one `fsync`, not one each.

use crate::error::{ActorError, Result};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use tokio::sync::watch;

#[derive(Default)]
struct State {
    /// Flush requests so far.
    requested: u64,
    /// Set when the store is closing.
    stop: bool,
}

/// The flushing thread and its waiters. Dropped with the last `Store`; joins its thread so the
/// database is closed when the drop returns.
pub struct GroupCommit {
    state: Arc<(Mutex<State>, Condvar)>,
    /// The number of requests covered by the last completed flush, or an error message.
    done: watch::Receiver<(u64, Option<String>)>,
    thread: Option<JoinHandle<()>>,
}

fn lock(m: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

impl GroupCommit {
    /// Starts the flushing thread for `db`.
    pub fn start(db: sled::Db) -> Result<GroupCommit> {
        let state = Arc::new((Mutex::new(State::default()), Condvar::new()));
        let (tx, rx) = watch::channel((0u64, None));
        let shared = state.clone();
        let thread = std::thread::Builder::new()
            .name("orchard-flush".into())
            .spawn(move || {
                let (lock_state, cv) = &*shared;
                let mut flushed = 0u64;
                loop {
                    let target = {
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
                        st.requested
                    };
                    let error = db.flush().err().map(|e| e.to_string());
                    flushed = target;
                    let _ = tx.send((flushed, error));
                }
                let _ = db.flush();
            })
            .map_err(|e| ActorError::Task(format!("cannot start the flush thread: {e}")))?;
        Ok(GroupCommit {
            state,
            done: rx,
            thread: Some(thread),
        })
    }

    /// Waits until a flush that started after this call has completed.
    pub async fn flush(&self) -> Result<()> {
        let ticket = {
            let (m, cv) = &*self.state;
            let mut st = lock(m);
            st.requested += 1;
            cv.notify_one();
            st.requested
        };
        let mut rx = self.done.clone();
        let seen = rx
            .wait_for(|(flushed, _)| *flushed >= ticket)
            .await
            .map_err(|_| ActorError::Task("the flush thread stopped".into()))?;
        match &seen.1 {
            Some(e) => Err(ActorError::Task(format!("flush failed: {e}"))),
            None => Ok(()),
        }
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn many_waiters_share_flushes_and_all_return() {
        let dir = tempfile::tempdir().unwrap();
        let db = sled::Config::new().path(dir.path()).open().unwrap();
        let gc = Arc::new(GroupCommit::start(db.clone()).unwrap());
        let mut tasks = Vec::new();
        for i in 0..200u32 {
            let gc = gc.clone();
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                db.insert(i.to_be_bytes(), &[1u8][..]).unwrap();
                gc.flush().await.unwrap();
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        drop(gc);
        drop(db);
        // Everything is on disk and the database can be reopened (the thread let go of it).
        let db = sled::Config::new().path(dir.path()).open().unwrap();
        assert_eq!(db.len(), 200);
    }
}
