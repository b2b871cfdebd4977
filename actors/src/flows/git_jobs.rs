//! The git-job worker: takes the `GitJob`s actors submit (`actor::git_jobs`), runs each through
//! the repository actors' mailboxes (`ReadableDir` on a local source, then `Fetch` on the
//! target) or git itself (listing a fork's origin), and answers the asker with `GitJobDone`.
//! At most `MAX_RUNNING` jobs run at once, each within the push timeout; the others wait.

use crate::actor::git_jobs::{
    CopyJob, FetchJob, GitJob, GitJobDone, GitJobKind, GitJobReceiver, GitOutcome, MergeJob,
    FORK_REFSPECS,
};
use crate::base::error::{ActorError, Result};
use crate::base::kind::ActorRef;
use crate::flows::git_origin::{self, FetchDocument};
use crate::git_fetch::{self, Remote};
use crate::kinds::repository::Repository;
use crate::kinds::repository_fetch::{Fetch, FetchFrom};
use crate::kinds::repository_merge::{self, Merge, RoleOf};
use crate::registry::Registry;
use schema::Role;
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Most git jobs running at once.
pub const MAX_RUNNING: usize = 3;

/// Starts the worker on the current (actix) runtime; it ends when every `GitJobs` sender is
/// dropped (or its task is aborted).
pub fn start(
    registry: Registry,
    mut jobs: GitJobReceiver,
    fetch: FetchDocument,
) -> tokio::task::JoinHandle<()> {
    let slots = Arc::new(Semaphore::new(MAX_RUNNING));
    actix::spawn(async move {
        while let Some(job) = jobs.recv().await {
            let Ok(slot) = slots.clone().acquire_owned().await else {
                return;
            };
            let (registry, fetch) = (registry.clone(), fetch.clone());
            actix::spawn(async move {
                answer(&registry, &fetch, job).await;
                drop(slot);
            });
        }
    })
}

/// Runs one job within the push timeout and answers its asker.
pub async fn answer(registry: &Registry, fetch: &FetchDocument, job: GitJob) {
    let GitJob {
        tag,
        reply_to,
        kind,
    } = job;
    let timeout = registry.env().push_timeout;
    let outcome = match tokio::time::timeout(timeout, run(registry, fetch, &reply_to, kind)).await {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(e)) => GitOutcome::Refused(e.to_string()),
        Err(_) => GitOutcome::Refused("the git job took too long; stopped".into()),
    };
    tracing::info!(to = %reply_to, %tag, ?outcome, "git job done");
    let done = GitJobDone { tag, outcome };
    if let Err(e) = registry.send(&reply_to, done).await {
        tracing::warn!(to = %reply_to, error = %e, "cannot answer a git job");
    }
}

async fn run(
    registry: &Registry,
    fetch: &FetchDocument,
    asker: &ActorRef,
    kind: GitJobKind,
) -> Result<GitOutcome> {
    match kind {
        GitJobKind::Fetch(job) => fetch_job(registry, job).await,
        GitJobKind::Copy(job) => copy_job(registry, fetch, job).await,
        GitJobKind::Merge(job) => merge_job(registry, asker, job).await,
    }
}

/// A merge, only for an asker (the PatchTracker) that holds `write` on the repository: the
/// Repository's `Merge` checks no Grant itself.
async fn merge_job(registry: &Registry, asker: &ActorRef, job: MergeJob) -> Result<GitOutcome> {
    let repo = registry.get::<Repository>(&job.repo.id).await?;
    let who = registry.urls().actor(asker);
    let role = repo.send(RoleOf { who: who.clone() }).await?;
    if role < Some(Role::Write) {
        return Ok(GitOutcome::Refused(format!(
            "{who} holds no write Grant on {}: it may not merge into it",
            registry.urls().actor(&job.repo)
        )));
    }
    Ok(repository_merge::outcome(
        repo.send(Merge::from(job)).await?,
    ))
}

async fn fetch_job(registry: &Registry, job: FetchJob) -> Result<GitOutcome> {
    let from = git_origin::source(registry, &job.source, &job.reader).await?;
    let refs = fetch_into(registry, &job.into, from, job.refspecs).await?;
    Ok(GitOutcome::Fetched { refs })
}

async fn copy_job(registry: &Registry, fetch: &FetchDocument, job: CopyJob) -> Result<GitOutcome> {
    let from = git_origin::origin(registry, fetch, &job.origin, &job.reader).await?;
    let refs = match &job.into {
        None => list(registry, &from).await?,
        Some(into) => {
            let refspecs = FORK_REFSPECS.iter().map(|s| s.to_string()).collect();
            fetch_into(registry, into, from, refspecs).await?
        }
    };
    Ok(GitOutcome::Fetched { refs })
}

/// The branches and tags a source has (nothing written).
async fn list(registry: &Registry, from: &FetchFrom) -> Result<BTreeMap<String, String>> {
    let timeout = registry.env().push_timeout;
    match from {
        FetchFrom::Dir(d) => git_fetch::ls_remote(&Remote::Dir(d), timeout).await,
        FetchFrom::Url(u) => git_fetch::ls_remote(&Remote::Url(u), timeout).await,
    }
}

async fn fetch_into(
    registry: &Registry,
    into: &ActorRef,
    source: FetchFrom,
    refspecs: Vec<String>,
) -> Result<BTreeMap<String, String>> {
    if into.kind != crate::base::kind::ActorKind::Repository {
        return Err(ActorError::Invalid(format!("{into} is not a Repository")));
    }
    let addr = registry.get::<Repository>(&into.id).await?;
    addr.send(Fetch { source, refspecs }).await?
}
