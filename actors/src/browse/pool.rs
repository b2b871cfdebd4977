//! Opened repositories kept between reads. Opening a repository is cheap, but what an open
//! handle has read (its object cache of decoded commits and trees, its pack's delta-base cache,
//! its pack indexes) is lost with it: a log with a path filter or a diff read again on a fresh
//! handle inflates every commit and tree again. Idle handles are kept, a few per directory and
//! `max_idle` in all, the least recently used dropped first. A handle is reused only for the same
//! directory inode, so a repository deleted and created again under the same name is opened
//! afresh. What a handle caches is content-addressed, and refs and packs are read again when
//! they change (gix re-reads `packed-refs` and looks for new packs on a miss), so a push is seen
//! by the next read.

use super::revision::open;
use crate::base::error::{ActorError, Result};
use std::collections::VecDeque;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Idle repository handles, most recently used last.
pub struct RepoPool {
    idle: Mutex<VecDeque<Idle>>,
    max_idle: usize,
    per_directory: usize,
}

struct Idle {
    dir: PathBuf,
    inode: u64,
    repo: gix::Repository,
}

impl RepoPool {
    /// A pool keeping at most `max_idle` idle handles in all (0: none, every read opens) and
    /// `per_directory` of one repository (as many as reads of it may run at once).
    pub fn new(max_idle: usize, per_directory: usize) -> RepoPool {
        RepoPool {
            idle: Mutex::new(VecDeque::new()),
            max_idle,
            per_directory,
        }
    }

    /// Runs `read` on an open handle of the repository at `dir` (blocking: call it on a blocking
    /// thread), then keeps the handle for the next read.
    pub fn read<T>(
        &self,
        dir: &Path,
        read: impl FnOnce(&gix::Repository) -> Result<T>,
    ) -> Result<T> {
        let inode = std::fs::metadata(dir)
            .map_err(|e| ActorError::NotFound(format!("repository at {}: {e}", dir.display())))?
            .ino();
        let repo = match self.take(dir, inode) {
            Some(repo) => repo,
            None => open(dir)?,
        };
        let answer = read(&repo);
        self.give_back(Idle {
            dir: dir.to_path_buf(),
            inode,
            repo,
        });
        answer
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Idle>> {
        // A panic while holding the lock leaves a list of handles that is still valid.
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn take(&self, dir: &Path, inode: u64) -> Option<gix::Repository> {
        let mut idle = self.lock();
        let at = idle
            .iter()
            .rposition(|i| i.inode == inode && i.dir == dir)?;
        idle.remove(at).map(|i| i.repo)
    }

    fn give_back(&self, handle: Idle) {
        if self.max_idle == 0 {
            return;
        }
        let mut idle = self.lock();
        let same = idle.iter().filter(|i| i.dir == handle.dir).count();
        if same >= self.per_directory {
            if let Some(at) = idle.iter().position(|i| i.dir == handle.dir) {
                idle.remove(at);
            }
        }
        idle.push_back(handle);
        while idle.len() > self.max_idle {
            idle.pop_front();
        }
    }

    /// How many handles are idle (for tests).
    pub fn idle(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use super::RepoPool;
    use crate::browse::test_repo::TestRepo;

    #[test]
    fn handles_are_kept_and_see_new_commits() {
        let t = TestRepo::new();
        let first = t.commit(&[("a.txt", Some(b"a\n"))], "first");
        let pool = RepoPool::new(8, 4);
        let head = |r: &gix::Repository| {
            Ok(crate::browse::revision::resolve_commit(r, "HEAD")?.to_string())
        };
        assert_eq!(pool.read(&t.git_dir(), head).unwrap(), first);
        assert_eq!(pool.idle(), 1);
        let second = t.commit(&[("b.txt", Some(b"b\n"))], "second");
        assert_eq!(pool.read(&t.git_dir(), head).unwrap(), second);
        assert_eq!(pool.idle(), 1);
    }

    #[test]
    fn a_repository_created_again_is_opened_afresh() {
        let pool = RepoPool::new(8, 4);
        let t = TestRepo::new();
        let old = t.commit(&[("a.txt", Some(b"a\n"))], "old");
        let head = |r: &gix::Repository| {
            Ok(crate::browse::revision::resolve_commit(r, "HEAD")?.to_string())
        };
        assert_eq!(pool.read(&t.git_dir(), head).unwrap(), old);
        let other = TestRepo::new();
        let new = other.commit(&[("n.txt", Some(b"n\n"))], "new");
        std::fs::remove_dir_all(t.git_dir()).unwrap();
        std::fs::rename(other.git_dir(), t.git_dir()).unwrap();
        assert_eq!(pool.read(&t.git_dir(), head).unwrap(), new);
    }

    #[test]
    fn at_most_max_idle_handles_are_kept() {
        let pool = RepoPool::new(2, 4);
        let repos: Vec<TestRepo> = (0..3).map(|_| TestRepo::new()).collect();
        for t in &repos {
            t.commit(&[("a.txt", Some(b"a\n"))], "c");
            pool.read(&t.git_dir(), |_| Ok(())).unwrap();
        }
        assert_eq!(pool.idle(), 2);
        assert!(pool
            .read(std::path::Path::new("/nonexistent/x.git"), |_| Ok(()))
            .is_err());
    }
}
