//! The git-job channel: how an actor asks for git work that takes two actors (a fork copying
//! from its origin, a tracker fetching a merge request's source branch into the target
//! repository, a merge). The actor `submit`s a `GitJob` on the `GitJobs` of its `Env`; the
//! worker in `flows::git_jobs` (which has the registry) runs it through the repository actors'
//! mailboxes and answers the asking actor with `GitJobDone`. Only the types live here.

use crate::base::error::{ActorError, Result};
use crate::base::kind::ActorRef;
use actix::prelude::*;
use std::collections::BTreeMap;
use url::Url;

/// Where a fetch reads from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitSource {
    /// A Repository of this instance, read from disk (visibility checked for the reader).
    Local(ActorRef),
    /// A remote repository's `cloneUri`, read over smart HTTP.
    Remote(Url),
}

/// Fetches refs from a source into a local Repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchJob {
    /// The local Repository written to.
    pub into: ActorRef,
    /// Where the objects and refs come from.
    pub source: GitSource,
    /// On whose behalf the source is read (the visibility check of a local source).
    pub reader: Url,
    /// Refspecs, e.g. `+refs/heads/*:refs/heads/*` or `+<sha-or-ref>:refs/merge-requests/3/v2`.
    pub refspecs: Vec<String>,
}

/// Merges a commit already present in a local Repository into one of its branches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeJob {
    /// The target Repository (local).
    pub repo: ActorRef,
    /// The commit id merged (already fetched into `repo`).
    pub head: String,
    /// The target branch name, e.g. `main`.
    pub branch: String,
    /// The merge commit's message.
    pub message: String,
    /// Who merges (the Apply's actor), logged as the pusher.
    pub by: Url,
    /// Refuse unless the branch fast-forwards to `head`.
    pub fast_forward_only: bool,
}

/// What a job does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitJobKind {
    Fetch(FetchJob),
    Merge(MergeJob),
}

/// One job, with the asker's own tag for it and who is answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitJob {
    /// The asker's own id for this job, given back in `GitJobDone`.
    pub tag: String,
    /// The local actor answered with `GitJobDone`.
    pub reply_to: ActorRef,
    pub kind: GitJobKind,
}

/// What became of a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitOutcome {
    /// Fetched: local ref -> commit, of the refs written.
    Fetched { refs: BTreeMap<String, String> },
    /// Merged into the branch: the new tip, whether it was a fast-forward, the tip before.
    Merged {
        commit: String,
        fast_forward: bool,
        before: String,
    },
    /// Not merged: these paths conflict; nothing changed.
    Conflict { paths: Vec<String> },
    /// Not done, with a clear reason (not readable, no such ref, git failed...).
    Refused(String),
}

/// The answer to a `GitJob`, sent to its `reply_to`.
#[derive(Debug, Message)]
#[rtype(result = "Result<()>")]
pub struct GitJobDone {
    pub tag: String,
    pub outcome: GitOutcome,
}

/// The receiving end of the channel, for the worker.
pub type GitJobReceiver = tokio::sync::mpsc::UnboundedReceiver<GitJob>;

/// The sending end of the git-job channel, in every actor's `Env` as `git_jobs`.
#[derive(Clone, Debug)]
pub struct GitJobs(tokio::sync::mpsc::UnboundedSender<GitJob>);

impl GitJobs {
    /// A new channel: the sender for the `Env`, the receiver for the worker.
    pub fn channel() -> (Self, GitJobReceiver) {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        (GitJobs(tx), rx)
    }

    /// A channel with no worker (unit tests, tools): every `submit` fails with a clear error.
    pub fn disconnected() -> Self {
        let (jobs, _) = Self::channel();
        jobs
    }

    /// Hands a job to the worker; fails when no worker runs.
    pub fn submit(&self, job: GitJob) -> Result<()> {
        self.0
            .send(job)
            .map_err(|_| ActorError::Task("no git-job worker runs on this instance".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::kind::ActorKind;

    fn job() -> GitJob {
        GitJob {
            tag: "t".into(),
            reply_to: ActorRef::new(ActorKind::Repository, "r"),
            kind: GitJobKind::Merge(MergeJob {
                repo: ActorRef::new(ActorKind::Repository, "r"),
                head: "0".repeat(40),
                branch: "main".into(),
                message: "m".into(),
                by: Url::parse("http://h/people/a").unwrap(),
                fast_forward_only: true,
            }),
        }
    }

    #[test]
    fn disconnected_refuses_and_channel_delivers() {
        assert!(GitJobs::disconnected().submit(job()).is_err());
        let (jobs, mut rx) = GitJobs::channel();
        jobs.submit(job()).unwrap();
        assert_eq!(rx.try_recv().unwrap(), job());
    }
}
