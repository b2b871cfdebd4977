//! The git-job worker: takes the `GitJob`s actors submit (`actor::git_jobs`), runs each through
//! the repository actors' mailboxes (`ReadableDir` on a local source, then `Fetch` on the
//! target) or git itself (listing a fork's origin), and answers the asker with `GitJobDone`.
//! At most `MAX_RUNNING` jobs run at once, each within the push timeout; the others wait.
//! A durable job (`actor::git_job_store`) is forgotten once its asker has the answer; at start
//! the worker first runs the jobs still stored (`git_jobs_resume`).

use crate::actor::git_jobs::{
    CopyJob, FetchJob, GitJob, GitJobDone, GitJobKind, GitJobReceiver, GitOutcome, MergeJob,
    FORK_REFSPECS,
};
use crate::base::error::{ActorError, Result};
use crate::base::kind::ActorRef;
use crate::flows::git_jobs_resume;
use crate::flows::git_origin::{self, FetchDocument};
use crate::git_fetch::{self, Remote};
use crate::kinds::repository::Repository;
use crate::kinds::repository_fetch::{Fetch, FetchFrom};
use crate::kinds::repository_merge::{self, Merge, RoleOf};
use crate::registry::Registry;
use futures_util::StreamExt;
use schema::Role;
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Most git jobs running at once.
pub const MAX_RUNNING: usize = 3;

/// Starts the worker on the current (actix) runtime: first the jobs stored before the last
/// stop (`git_job_store`, oldest first), then those submitted. It ends when every `GitJobs`
/// sender is dropped (or its task is aborted).
pub fn start(
    registry: Registry,
    mut jobs: GitJobReceiver,
    fetch: FetchDocument,
) -> tokio::task::JoinHandle<()> {
    let slots = Arc::new(Semaphore::new(MAX_RUNNING));
    actix::spawn(async move {
        let stored = git_jobs_resume::stored(&registry);
        let resumed = stored.into_iter().map(|s| (s.job, Some(s.submitted_ms)));
        let submitted = futures_util::stream::poll_fn(|cx| jobs.poll_recv(cx)).map(|j| (j, None));
        let mut all = futures_util::stream::iter(resumed).chain(submitted);
        while let Some((job, resumed)) = all.next().await {
            let Ok(slot) = slots.clone().acquire_owned().await else {
                return;
            };
            let (registry, fetch) = (registry.clone(), fetch.clone());
            actix::spawn(async move {
                answer(&registry, &fetch, job, resumed).await;
                drop(slot);
            });
        }
    })
}

/// Runs one job within the push timeout and answers its asker; then forgets the stored job,
/// unless the asker could not be reached (the server stopping: the next start answers it).
/// `resumed`: when a job stored before the last stop was submitted.
pub async fn answer(registry: &Registry, fetch: &FetchDocument, job: GitJob, resumed: Option<u64>) {
    let kept = job.clone();
    let GitJob {
        tag,
        reply_to,
        kind,
    } = job;
    let Some(outcome) = outcome(registry, fetch, &reply_to, kind, resumed).await else {
        tracing::warn!(to = %reply_to, %tag, "a git job's actors are unavailable; kept for the next start");
        return;
    };
    tracing::info!(to = %reply_to, %tag, ?outcome, "git job done");
    let done = GitJobDone { tag, outcome };
    match registry.send(&reply_to, done).await {
        Err(e @ ActorError::Mailbox(_)) => {
            tracing::warn!(to = %reply_to, error = %e, "cannot answer a git job; kept for the next start");
            return;
        }
        Err(e) => tracing::warn!(to = %reply_to, error = %e, "the answer to a git job failed"),
        Ok(()) => {}
    }
    git_jobs_resume::forget(registry, &kept);
}

/// How many times a job whose actor's mailbox is gone (passivated meanwhile) is tried.
const MAILBOX_TRIES: u32 = 3;

/// The outcome of a job within the push timeout; None while a mailbox stays unavailable (the
/// server is stopping: the job stays stored, the asker unanswered). A merge tried again is run
/// as resumed since its first try, so it never merges twice.
async fn outcome(
    registry: &Registry,
    fetch: &FetchDocument,
    asker: &ActorRef,
    kind: GitJobKind,
    mut resumed: Option<u64>,
) -> Option<GitOutcome> {
    let timeout = registry.env().push_timeout;
    let first = crate::base::clock::now_ms();
    for _ in 0..MAILBOX_TRIES {
        let work = run(registry, fetch, asker, kind.clone(), resumed);
        match tokio::time::timeout(timeout, work).await {
            Ok(Ok(outcome)) => return Some(outcome),
            Ok(Err(ActorError::Mailbox(e))) => {
                tracing::info!(to = %asker, error = %e, "a git job's actor is unavailable");
                resumed = resumed.or(Some(first));
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            }
            Ok(Err(e)) => return Some(GitOutcome::Refused(e.to_string())),
            Err(_) => {
                let why = "the git job took too long; stopped";
                return Some(GitOutcome::Refused(why.into()));
            }
        }
    }
    None
}

async fn run(
    registry: &Registry,
    fetch: &FetchDocument,
    asker: &ActorRef,
    kind: GitJobKind,
    resumed: Option<u64>,
) -> Result<GitOutcome> {
    match kind {
        GitJobKind::Fetch(job) => fetch_job(registry, fetch, job).await,
        GitJobKind::Copy(job) => copy_job(registry, fetch, job).await,
        GitJobKind::Merge(job) => merge_job(registry, asker, job, resumed).await,
    }
}

/// A merge, only for an asker (the PatchTracker) that holds `write` on the repository: the
/// Repository's `Merge` checks no Grant itself. A resumed merge that already moved the branch
/// before the stop answers that merge (`git_jobs_resume::merged_before`), not a second one.
async fn merge_job(
    registry: &Registry,
    asker: &ActorRef,
    job: MergeJob,
    resumed: Option<u64>,
) -> Result<GitOutcome> {
    let repo = registry.get::<Repository>(&job.repo.id).await?;
    let who = registry.urls().actor(asker);
    let role = repo.send(RoleOf { who: who.clone() }).await?;
    if role < Some(Role::Write) {
        return Ok(GitOutcome::Refused(format!(
            "{who} holds no write Grant on {}: it may not merge into it",
            registry.urls().actor(&job.repo)
        )));
    }
    if let Some(since) = resumed {
        if let Some(done) = git_jobs_resume::merged_before(registry, &who, &job, since).await? {
            return Ok(done);
        }
    }
    Ok(repository_merge::outcome(
        repo.send(Merge::from(job)).await?,
    ))
}

async fn fetch_job(
    registry: &Registry,
    fetch: &FetchDocument,
    job: FetchJob,
) -> Result<GitOutcome> {
    let from = git_origin::source(registry, fetch, &job.source, &job.reader).await?;
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
