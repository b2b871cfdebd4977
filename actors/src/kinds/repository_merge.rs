//! A merge into one of the repository's branches, as the Repository actor's `Merge` message: what
//! a merge request's Apply comes to once the tracker has checked its authority and the commit to
//! merge is in this repository (a `GitJob` of `flows`). It holds the mailbox from the first git
//! command until the merge is logged and published (`AtomicResponse`, as a push does), so merges
//! and pushes never interleave. A fast-forward when the branch is an ancestor of the commit, else
//! a merge commit with two parents (the committer is this repository at the instance's host,
//! the author is `by`); the branch moves by compare-and-swap. A conflict changes nothing and
//! answers the conflicting paths. A merge is logged in the push log (`PushRecord`, `by` as
//! the pusher) and published as the usual `Push`. Refused on an archived repository. A git-job
//! worker sends it `Merge::from(job)` and answers `outcome(answer)`. The git work is
//! `kinds::repository_merge_git`; the tests, on `testing::TestActor`, are `merge_tests`.

use crate::actor::git_jobs::{GitOutcome, MergeJob};
use crate::base::error::{ActorError, Result};
use crate::kinds::push::{PushedBranch, RefUpdate};
use crate::kinds::repository::Repository;
use crate::kinds::repository_git::PushRecord;
use crate::kinds::repository_merge_git::{self as merge_git, Ident, MergeSpec, Plan, Planned};
use actix::prelude::*;
use schema::Role;
use std::path::Path;
use url::Url;

/// Merges the commit `head` (already in this repository) into `branch` (`main` or
/// `refs/heads/main`). The caller has checked that `by` may merge (the git-job worker checks
/// that the asking PatchTracker holds `write` here, `RoleOf`): the repository does not.
/// An `Err` changes nothing: `NotFound` (no such commit or branch), `Invalid` (a malformed
/// name or id), `Forbidden` (archived), `Conflict` (nothing to merge, not a fast-forward when
/// only one was asked, or the branch moved meanwhile).
#[derive(Message, Debug, Clone)]
#[rtype(result = "Result<MergeResult>")]
pub struct Merge {
    pub head: String,
    pub branch: String,
    pub message: String,
    pub by: Url,
    pub fast_forward_only: bool,
}

/// What a merge did: the branch moved from `before` to `commit` (the merged commit itself for a
/// fast-forward, else the new merge commit), or nothing, the listed paths conflicting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeResult {
    Merged {
        commit: String,
        fast_forward: bool,
        before: String,
    },
    Conflict {
        paths: Vec<String>,
    },
}

impl From<MergeJob> for Merge {
    /// The message a git-job worker sends the job's repository.
    fn from(job: MergeJob) -> Merge {
        Merge {
            head: job.head,
            branch: job.branch,
            message: job.message,
            by: job.by,
            fast_forward_only: job.fast_forward_only,
        }
    }
}

/// The answer to a merge job (`GitJobDone`): a refusal's reason is the error's message.
pub fn outcome(answer: Result<MergeResult>) -> GitOutcome {
    match answer {
        Ok(MergeResult::Merged {
            commit,
            fast_forward,
            before,
        }) => GitOutcome::Merged {
            commit,
            fast_forward,
            before,
        },
        Ok(MergeResult::Conflict { paths }) => GitOutcome::Conflict { paths },
        Err(e) => GitOutcome::Refused(e.to_string()),
    }
}

/// What the git side of a merge did, off the actor thread.
enum Done {
    Merged(Planned, Vec<PushedBranch>),
    Conflict(Vec<String>),
}

/// The role `who` holds on this repository, if any (a git-job worker checks a merge's asker).
#[derive(Message, Debug, Clone)]
#[rtype(result = "Option<Role>")]
pub struct RoleOf {
    pub who: Url,
}

impl Handler<RoleOf> for Repository {
    type Result = Option<Role>;

    fn handle(&mut self, msg: RoleOf, _: &mut Self::Context) -> Option<Role> {
        self.role_of(Some(&msg.who))
    }
}

impl Handler<Merge> for Repository {
    type Result = AtomicResponse<Self, Result<MergeResult>>;

    fn handle(&mut self, msg: Merge, _: &mut Self::Context) -> Self::Result {
        if let Some(why) = crate::kinds::repository_archive::refusal(&self.core, "merge") {
            return AtomicResponse::new(Box::pin(actix::fut::ready(Err(ActorError::Forbidden(
                why,
            )))));
        }
        let spec = self.merge_spec(&msg);
        let dir = self.git_dir();
        let started_ms = crate::base::clock::now_ms();
        tracing::info!(repo = %self.core.r, by = %msg.by, head = %msg.head, "merge started");
        let work = tokio::task::spawn_blocking(move || merge(&dir, &spec));
        let by = msg.by;
        AtomicResponse::new(Box::pin(work.into_actor(self).map(move |res, act, _| {
            let done = res.map_err(ActorError::from).and_then(|r| r);
            act.finish_merge(&by, started_ms, done)
        })))
    }
}

/// Plans the merge, moves the branch and lists the commits it gained. Blocking.
fn merge(dir: &Path, spec: &MergeSpec) -> Result<Done> {
    let planned = match merge_git::plan(dir, spec)? {
        Plan::Conflict(paths) => return Ok(Done::Conflict(paths)),
        Plan::Write(planned) => planned,
    };
    merge_git::apply(dir, &planned)?;
    let updates = [RefUpdate {
        name: planned.reference.clone(),
        before: planned.before.clone(),
        after: planned.after.clone(),
    }];
    let branches = crate::kinds::push::pushed_branches(dir, &Default::default(), &updates);
    Ok(Done::Merged(planned, branches))
}

impl Repository {
    /// The git side's input: the message's fields and the two identities.
    fn merge_spec(&self, msg: &Merge) -> MergeSpec {
        let name = self.core.record.name.as_deref().unwrap_or(&self.core.r.id);
        let host = self.core.env.urls.host();
        MergeSpec {
            head: msg.head.clone(),
            branch: msg.branch.clone(),
            message: msg.message.clone(),
            fast_forward_only: msg.fast_forward_only,
            author: author(&msg.by),
            committer: Ident {
                name: ident_name(name, &self.core.r.id),
                email: format!("noreply@{host}"),
            },
        }
    }

    /// Back on the actor: a merge that moved the branch is logged and published as a push.
    fn finish_merge(&self, by: &Url, started_ms: u64, done: Result<Done>) -> Result<MergeResult> {
        let (planned, branches) = match done {
            Ok(Done::Merged(planned, branches)) => (planned, branches),
            Ok(Done::Conflict(paths)) => {
                tracing::info!(repo = %self.core.r, ?paths, "merge conflicts; nothing changed");
                return Ok(MergeResult::Conflict { paths });
            }
            Err(e) => {
                tracing::info!(repo = %self.core.r, error = %e, "merge refused");
                return Err(e);
            }
        };
        let record = PushRecord {
            pusher: by.to_string(),
            started_ms,
            ended_ms: crate::base::clock::now_ms(),
            exit: 0,
            updates: vec![RefUpdate {
                name: planned.reference.clone(),
                before: planned.before.clone(),
                after: planned.after.clone(),
            }],
        };
        self.log_and_publish(by, &record, &branches);
        tracing::info!(repo = %self.core.r, commit = %planned.after, "merged");
        Ok(MergeResult::Merged {
            commit: planned.after,
            fast_forward: planned.fast_forward,
            before: planned.before,
        })
    }
}

/// The author of a merge commit: the last segment of `by`'s IRI, at a noreply address of its
/// host (`alice <alice@noreply.a.example>`).
fn author(by: &Url) -> Ident {
    let segment = by
        .path_segments()
        .and_then(|mut s| s.rfind(|p| !p.is_empty()))
        .unwrap_or_default();
    let name = ident_name(segment, "someone");
    let local: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    let local = if local.is_empty() {
        "someone".into()
    } else {
        local
    };
    let host = by.host_str().unwrap_or("localhost");
    Ident {
        name,
        email: format!("{local}@noreply.{host}"),
    }
}

/// `name` without what git refuses in an identity (`<`, `>`, control characters), or `fallback`
/// when nothing is left.
fn ident_name(name: &str, fallback: &str) -> String {
    let kept: String = name
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '<' | '>'))
        .collect();
    match kept.trim() {
        "" => fallback.to_string(),
        k => k.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{author, ident_name, outcome, MergeResult};
    use crate::actor::git_jobs::GitOutcome;
    use crate::base::error::ActorError;
    use url::Url;

    #[test]
    fn a_merge_answers_its_git_job() {
        let paths = vec!["f".to_string()];
        let conflict = outcome(Ok(MergeResult::Conflict {
            paths: paths.clone(),
        }));
        assert_eq!(conflict, GitOutcome::Conflict { paths });
        let missing = outcome(Err(ActorError::NotFound("branch nope".into())));
        assert_eq!(missing, GitOutcome::Refused("branch nope not found".into()));
    }

    #[test]
    fn identities_keep_nothing_git_refuses() {
        let by = |s: &str| author(&Url::parse(s).unwrap());
        let alice = by("https://a.example/people/alice/");
        assert_eq!(
            (alice.name.as_str(), alice.email.as_str()),
            ("alice", "alice@noreply.a.example")
        );
        let odd = by("https://a.example/people/%3Cm%3E%20x");
        assert!(
            !odd.name.contains('<') && !odd.email.contains('%'),
            "{odd:?}"
        );
        assert_eq!(by("https://a.example/").name, "someone");
        assert_eq!(ident_name("a<b>\nc", "x"), "abc");
        assert_eq!(ident_name(" <> ", "x"), "x");
    }
}
