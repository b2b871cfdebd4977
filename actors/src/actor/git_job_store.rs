//! The git jobs kept until their asker has its answer (`actor::git_jobs`), so that a stop or a
//! crash between a submit and its `GitJobDone` loses none: `GitJobs::submit` stores a durable
//! job before it hands it to the worker, the worker (`flows::git_jobs`) deletes it once the
//! asker has handled the answer, and runs every job still stored when it starts. A job is kept
//! under its asker and its tag (the asker's own id for it), so a re-submit replaces it rather
//! than adding a second one.
//!
//! Keys in the instance tree: `git-job 0xFF <kind>/<id> 0xFF <tag>` -> JSON `StoredJob`.

use crate::actor::git_job_types::GitJob;
use crate::base::clock::now_ms;
use crate::base::error::Result;
use crate::storage::codec;
use crate::storage::layout::{self, GIT_JOB, SEP};
use crate::storage::store::Store;
use serde::{Deserialize, Serialize};

/// A job as stored: the job and when it was submitted (ms since the epoch).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredJob {
    pub submitted_ms: u64,
    pub job: GitJob,
}

/// The stored git jobs of an instance (in its instance tree).
#[derive(Clone)]
pub struct JobStore {
    store: Store,
}

fn key(job: &GitJob) -> Vec<u8> {
    let mut rest = job.reply_to.tree_name().into_bytes();
    rest.push(SEP);
    rest.extend_from_slice(job.tag.as_bytes());
    layout::key(GIT_JOB, &rest)
}

impl JobStore {
    pub fn new(store: Store) -> JobStore {
        JobStore { store }
    }

    /// Keeps `job`, submitted now (replacing a job of the same asker and tag) until `answered`.
    pub fn put(&self, job: &GitJob) -> Result<()> {
        self.keep(&StoredJob {
            submitted_ms: now_ms(),
            job: job.clone(),
        })
    }

    /// Keeps a job as given, with its submit time (`put`; a tool restoring jobs).
    pub fn keep(&self, stored: &StoredJob) -> Result<()> {
        let value = codec::encode(stored)?;
        self.store.instance().insert(key(&stored.job), value)?;
        Ok(())
    }

    /// Forgets `job` once its asker has its answer; a different job stored since under the same
    /// asker and tag (a re-submit with other refspecs, say) is kept.
    pub fn answered(&self, job: &GitJob) -> Result<()> {
        let tree = self.store.instance();
        let k = key(job);
        let Some(old) = tree.get(&k)? else {
            return Ok(());
        };
        let same = codec::decode::<StoredJob>(&old).map_or(true, |s| s.job == *job);
        if same {
            // Lost to a concurrent re-submit: that one is kept, as it should be.
            let _ = tree.compare_and_swap(&k, Some(&old), None::<&[u8]>)?;
        }
        Ok(())
    }

    /// Every stored job, oldest submit first. An entry that cannot be decoded (written by a
    /// later version, or damaged) is logged and left alone.
    pub fn all(&self) -> Result<Vec<StoredJob>> {
        let mut jobs = Vec::new();
        for entry in self.store.instance().scan_prefix(layout::prefix(GIT_JOB)) {
            let (k, v) = entry?;
            match codec::decode::<StoredJob>(&v) {
                Ok(job) => jobs.push(job),
                Err(e) => {
                    let k = String::from_utf8_lossy(&k).into_owned();
                    tracing::error!(key = %k, error = %e, "a stored git job cannot be read; left alone");
                }
            }
        }
        jobs.sort_by_key(|j| j.submitted_ms);
        Ok(jobs)
    }
}

#[cfg(test)]
#[path = "git_job_store_tests.rs"]
mod tests;
