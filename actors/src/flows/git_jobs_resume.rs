//! The git-job worker's side of the store of jobs (`actor::git_job_store`): the jobs still
//! stored at start (run again), forgetting a job once answered, and what makes a resumed merge
//! safe. A resumed Copy or Fetch is simply run again (a fetch rewrites the same refs). A merge
//! may have moved the branch before the stop without its asker hearing of it: a resumed merge
//! first looks in the repository's push log for a move of its branch by the same person since
//! the job was submitted that brought the commit in, and answers that merge (`Merged`) instead
//! of merging again or refusing "nothing to merge".

use crate::actor::git_job_store::{JobStore, StoredJob};
use crate::actor::git_jobs::{GitJob, GitOutcome, MergeJob};
use crate::base::error::Result;
use crate::flows::git_origin;
use crate::kinds::push::RefUpdate;
use crate::kinds::repository::Repository;
use crate::kinds::repository_fetch::FetchFrom;
use crate::kinds::repository_git::GetPushLog;
use crate::kinds::repository_merge_git::{branch_ref, is_ancestor};
use crate::registry::Registry;
use std::path::Path;
use url::Url;

fn store(registry: &Registry) -> JobStore {
    JobStore::new(registry.env().store.clone())
}

/// The jobs stored before the last stop, oldest first (none when they cannot be read: logged).
pub fn stored(registry: &Registry) -> Vec<StoredJob> {
    match store(registry).all() {
        Ok(jobs) => {
            if !jobs.is_empty() {
                tracing::info!(
                    jobs = jobs.len(),
                    "resuming the git jobs stored before the stop"
                );
            }
            jobs
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot read the stored git jobs; none resumed");
            Vec::new()
        }
    }
}

/// Forgets a job whose asker has its answer.
pub fn forget(registry: &Registry, job: &GitJob) {
    if let Err(e) = store(registry).answered(job) {
        tracing::error!(tag = %job.tag, error = %e, "cannot forget an answered git job; it runs again at the next start");
    }
}

/// The merge a resumed job already made before the stop, if it made one: a move of its branch
/// logged by `job.by` since `since` (ms) that brought `job.head` into it. `asker` reads the
/// repository (it holds `write` on it).
pub async fn merged_before(
    registry: &Registry,
    asker: &Url,
    job: &MergeJob,
    since: u64,
) -> Result<Option<GitOutcome>> {
    let repo = registry.get::<Repository>(&job.repo.id).await?;
    let reference = branch_ref(&job.branch)?;
    let by = job.by.to_string();
    let moves: Vec<RefUpdate> = repo
        .send(GetPushLog)
        .await??
        .into_iter()
        .rev()
        .filter(|r| r.pusher == by && r.started_ms >= since)
        .flat_map(|r| r.updates)
        .filter(|u| u.name == reference)
        .collect();
    if moves.is_empty() {
        return Ok(None);
    }
    let FetchFrom::Dir(dir) = git_origin::readable_dir(registry, &job.repo, asker).await? else {
        return Ok(None);
    };
    let head = job.head.clone();
    tokio::task::spawn_blocking(move || brought_in(&dir, &head, moves)).await?
}

/// The first of `moves` (newest first) that brought `head` into the branch. Blocking.
fn brought_in(dir: &Path, head: &str, moves: Vec<RefUpdate>) -> Result<Option<GitOutcome>> {
    for u in moves {
        let merged = u.after == head
            || (is_ancestor(dir, head, &u.after)? && !is_ancestor(dir, head, &u.before)?);
        if merged {
            tracing::info!(commit = %u.after, "a resumed merge was made before the stop");
            return Ok(Some(GitOutcome::Merged {
                fast_forward: u.after == head,
                commit: u.after,
                before: u.before,
            }));
        }
    }
    Ok(None)
}
