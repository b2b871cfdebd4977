//! The git jobs' types (`actor::git_jobs`): what a job does, the job, its outcome and the
//! answer `GitJobDone`; serializable, for the store of jobs (`git_job_store`).

use crate::base::error::Result;
use crate::base::kind::ActorRef;
use actix::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use url::Url;

/// Where a fetch reads from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum GitSource {
    /// A Repository of this instance, read from disk (visibility checked for the reader).
    Local(#[serde(with = "actor_ref")] ActorRef),
    /// A remote Repository (its IRI), read over smart HTTP at the `cloneUri` of its document.
    Remote(Url),
}

/// Fetches refs from a source into a local Repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchJob {
    /// The local Repository written to.
    #[serde(with = "actor_ref")]
    pub into: ActorRef,
    /// Where the objects and refs come from.
    pub source: GitSource,
    /// On whose behalf the source is read (the visibility check of a local source).
    pub reader: Url,
    /// Refspecs, e.g. `+refs/heads/*:refs/heads/*` or `+<sha-or-ref>:refs/merge-requests/3/v2`.
    pub refspecs: Vec<String>,
}

/// Merges a commit already present in a local Repository into one of its branches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeJob {
    /// The target Repository (local).
    #[serde(with = "actor_ref")]
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

/// A fork's origin, checked or copied: the worker resolves `origin` (a Repository IRI, local
/// or remote) to its git data, readable by `reader`. Without `into` it only lists the origin's
/// branches and tags (the Factory's check before it creates the fork); with `into` it fetches
/// them into that new Repository (`FORK_REFSPECS`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyJob {
    #[serde(with = "actor_ref_opt")]
    pub into: Option<ActorRef>,
    pub origin: Url,
    pub reader: Url,
}

/// What a fork copies from its origin: every branch and tag.
pub const FORK_REFSPECS: [&str; 2] = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"];

/// What a job does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum GitJobKind {
    Fetch(FetchJob),
    Merge(MergeJob),
    Copy(CopyJob),
}

/// One job, with the asker's own tag for it and who is answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GitJob {
    /// The asker's own id for this job, given back in `GitJobDone`.
    pub tag: String,
    /// The local actor answered with `GitJobDone`.
    #[serde(with = "actor_ref")]
    pub reply_to: ActorRef,
    pub kind: GitJobKind,
}

impl GitJob {
    /// Whether the job is kept until answered: all but the check of a fork's origin (a `Copy`
    /// without `into`), which the Factory asks while it holds the Create in its inbox, so a
    /// restart processes that Create again and asks again.
    pub fn is_durable(&self) -> bool {
        !matches!(&self.kind, GitJobKind::Copy(CopyJob { into: None, .. }))
    }
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

/// Serde of an `ActorRef` as its tree name (`repository/r`), for the stored jobs.
pub mod actor_ref {
    use crate::base::kind::ActorRef;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(r: &ActorRef, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&r.tree_name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ActorRef, D::Error> {
        let name = String::deserialize(d)?;
        ActorRef::from_tree_name(&name)
            .ok_or_else(|| D::Error::custom(format!("{name:?} names no actor")))
    }
}

/// Serde of an `Option<ActorRef>` (null, or as `actor_ref`).
pub mod actor_ref_opt {
    use crate::base::kind::ActorRef;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(r: &Option<ActorRef>, s: S) -> Result<S::Ok, S::Error> {
        match r {
            Some(r) => s.serialize_some(&r.tree_name()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<ActorRef>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(name) => ActorRef::from_tree_name(&name)
                .map(Some)
                .ok_or_else(|| D::Error::custom(format!("{name:?} names no actor"))),
        }
    }
}
