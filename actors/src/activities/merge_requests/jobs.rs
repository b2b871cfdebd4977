//! The answers to the git jobs a PatchTracker submitted (`GitJobDone`), each sent on to what
//! it completes (`data::mr_jobs`): opening a merge request and a new version (`revisions`), a
//! merge (`apply`). An answer nothing waits for is ignored.

use crate::activities::merge_requests::{apply, revisions};
use crate::actor::git_jobs::{GitJobDone, GitOutcome};
use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::data::mr_jobs::{self, Purpose};

/// A `GitJobDone` received by the tracker.
pub fn done(core: &mut ActorCore, done: GitJobDone) -> Result<()> {
    let Some(job) = mr_jobs::get(core, &done.tag)? else {
        tracing::info!(tag = %done.tag, "the answer to a git job nothing waits for; ignored");
        return Ok(());
    };
    let fetched = match &done.outcome {
        GitOutcome::Fetched { refs } => Ok(refs.clone()),
        GitOutcome::Refused(why) => Err(why.clone()),
        GitOutcome::Conflict { .. } | GitOutcome::Merged { .. } => Err("not a fetch".into()),
    };
    match job.purpose {
        Purpose::Open { offer } => revisions::opened(core, job.number, &offer, fetched)?,
        Purpose::Revision { v, push } => {
            revisions::revised(core, job.number, (v, push.as_ref()), fetched)?
        }
        Purpose::Merge { apply } => apply::merged(core, job.number, &apply, done.outcome)?,
    }
    mr_jobs::remove(core, &done.tag)
}
