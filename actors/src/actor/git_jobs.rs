//! The git-job channel: how an actor asks for git work that takes two actors (a fork copying
//! from its origin, a tracker fetching a merge request's source branch into the target
//! repository, a merge). The actor `submit`s a `GitJob` on the `GitJobs` of its `Env`; the
//! worker in `flows::git_jobs` (which has the registry) runs it through the repository actors'
//! mailboxes and answers the asking actor with `GitJobDone`. A job is stored before it is
//! handed over (`git_job_store`) and deleted once answered, so a stopped server runs it again
//! at start. The types are `git_job_types`.

use crate::actor::git_job_store::JobStore;
pub use crate::actor::git_job_types::{
    CopyJob, FetchJob, GitJob, GitJobDone, GitJobKind, GitOutcome, GitSource, MergeJob,
    FORK_REFSPECS,
};
use crate::base::error::{ActorError, Result};

/// The receiving end of the channel, for the worker.
pub type GitJobReceiver = tokio::sync::mpsc::UnboundedReceiver<GitJob>;

/// The sending end of the git-job channel, in every actor's `Env` as `git_jobs`; with a
/// `JobStore` (`durable`), every job but an origin's check is stored before it is handed over.
#[derive(Clone)]
pub struct GitJobs {
    tx: tokio::sync::mpsc::UnboundedSender<GitJob>,
    store: Option<JobStore>,
}

impl std::fmt::Debug for GitJobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitJobs")
            .field("durable", &self.store.is_some())
            .finish()
    }
}

impl GitJobs {
    /// A new channel that keeps nothing: the sender for the `Env`, the receiver for the worker.
    pub fn channel() -> (Self, GitJobReceiver) {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        (GitJobs { tx, store: None }, rx)
    }

    /// A new channel whose jobs are kept in `store` until answered (the server's).
    pub fn durable(store: JobStore) -> (Self, GitJobReceiver) {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let store = Some(store);
        (GitJobs { tx, store }, rx)
    }

    /// A channel with no worker (unit tests, tools): every `submit` fails with a clear error.
    pub fn disconnected() -> Self {
        let (jobs, _) = Self::channel();
        jobs
    }

    /// Hands a job to the worker, kept first when it is `durable`; fails when no worker runs
    /// (nothing is kept then).
    pub fn submit(&self, job: GitJob) -> Result<()> {
        let store = self.store.as_ref().filter(|_| job.is_durable());
        if let Some(store) = store {
            store.put(&job)?;
        }
        let kept = store.map(|s| (s, job.clone()));
        if self.tx.send(job).is_err() {
            if let Some((store, job)) = kept {
                store.answered(&job)?;
            }
            return Err(ActorError::Task(
                "no git-job worker runs on this instance".into(),
            ));
        }
        Ok(())
    }
}
