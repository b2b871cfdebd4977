//! The git jobs a PatchTracker submitted and waits for (`actor::git_jobs`): each is kept under
//! its tag until its `GitJobDone` comes back, with what the answer completes (opening a merge
//! request, recording a new version, merging). Tags are derived from what asked for the job, so
//! a re-run submits under the same tag.
//!
//! Keys in the tree: `mr-job 0xFF <tag>` -> JSON `PendingJob`.

use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::storage::codec;
use crate::storage::layout::{self, MR_JOB};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What the answer to a job completes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "kind")]
pub enum Purpose {
    /// Opening merge request `number` for this Offer (without `@context`): its first version.
    Open { offer: Value },
    /// Version `v` of merge request `number`, after this Push to its origin (without
    /// `@context`; absent in jobs kept before it was).
    Revision {
        v: u64,
        #[serde(default)]
        push: Option<Value>,
    },
    /// Merging merge request `number`, asked by this Apply (without `@context`).
    Merge { apply: Value },
}

/// A job waiting for its answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingJob {
    pub number: u64,
    pub purpose: Purpose,
}

fn key(tag: &str) -> Vec<u8> {
    layout::key(MR_JOB, tag.as_bytes())
}

/// The job submitted under `tag`, if it is still waiting.
pub fn get(core: &ActorCore, tag: &str) -> Result<Option<PendingJob>> {
    match core.tree.get(key(tag))? {
        Some(v) => Ok(Some(codec::decode(&v)?)),
        None => Ok(None),
    }
}

/// Keeps a job until its answer.
pub fn put(core: &ActorCore, tag: &str, job: &PendingJob) -> Result<()> {
    core.tree.insert(key(tag), codec::encode(job)?)?;
    Ok(())
}

/// Forgets a job (answered, or never submitted).
pub fn remove(core: &ActorCore, tag: &str) -> Result<()> {
    core.tree.remove(key(tag))?;
    Ok(())
}
