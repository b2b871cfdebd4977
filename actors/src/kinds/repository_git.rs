//! A repository's git services, as messages of its actor: a push (`ReceivePack`, holding the
//! mailbox from `git receive-pack` until the push is logged and its Push activities published),
//! a clone or fetch (`UploadPack`, started in mailbox order and run beside it) and the push log
//! (`GetPushLog`, which lists merges too: `kinds::repository_merge` logs and publishes through
//! `log_and_publish`).
//!
//! Keys: `push 0xFF <be u64 seq>` -> JSON `PushRecord` (the push log, with timings).

use crate::base::error::{ActorError, Result};
use crate::git::{self, Refs, ZERO};
use crate::git_io::GitIo;
use crate::git_process::{run_git, run_git_with, GitOptions, InputLimit};
use crate::kinds::push::{PushedBranch, RefUpdate};
use crate::kinds::repository::Repository;
use crate::publish::audience::Reader;
use crate::storage::codec;
use crate::storage::layout::{self, PUSH};
use actix::prelude::*;
use schema::Role;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::oneshot;
use url::Url;

/// A `git push` to this repository: runs `git receive-pack` holding the mailbox. `done` gets
/// git's exit code as soon as git exits; the mailbox is held until the push is also logged and
/// its Push activities published. A push sending more than `max_input` is refused while it
/// streams and changes nothing (the transport's size limit, e.g. `[ssh] max_push_mb`).
#[derive(Message)]
#[rtype(result = "()")]
pub struct ReceivePack {
    pub pusher: Url,
    pub io: GitIo,
    pub done: oneshot::Sender<Result<i32>>,
    pub max_input: Option<InputLimit>,
}

/// A clone or fetch: runs `git upload-pack` (with the transport's `options`: smart HTTP's
/// stateless RPC).
#[derive(Message)]
#[rtype(result = "()")]
pub struct UploadPack {
    pub who: Option<Url>,
    pub io: GitIo,
    pub done: oneshot::Sender<Result<i32>>,
    pub options: GitOptions,
}

/// Reads the push log.
#[derive(Message)]
#[rtype(result = "Result<Vec<PushRecord>>")]
pub struct GetPushLog;

/// One push, as logged.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PushRecord {
    pub pusher: String,
    pub started_ms: u64,
    pub ended_ms: u64,
    pub exit: i32,
    pub updates: Vec<RefUpdate>,
}

impl Repository {
    /// The ref updates between two snapshots.
    fn updates(before: &Refs, after: &Refs) -> Vec<RefUpdate> {
        let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
        names.sort();
        names.dedup();
        names
            .into_iter()
            .filter_map(|n| {
                let b = before.get(n).cloned().unwrap_or_else(|| ZERO.into());
                let a = after.get(n).cloned().unwrap_or_else(|| ZERO.into());
                (a != b).then(|| RefUpdate {
                    name: n.clone(),
                    before: b,
                    after: a,
                })
            })
            .collect()
    }

    fn log_push(&self, record: &PushRecord) -> Result<()> {
        crate::storage::store::append(&self.core.tree, PUSH, &codec::encode(record)?)?;
        Ok(())
    }

    /// After the branches changed (a push, a merge): logs the change and publishes its Push
    /// activities, `pusher` as their actor.
    pub(crate) fn log_and_publish(
        &self,
        pusher: &Url,
        record: &PushRecord,
        branches: &[PushedBranch],
    ) {
        if let Err(e) = self.log_push(record) {
            tracing::error!(error = %e, "cannot log push");
        }
        crate::kinds::push::publish(&self.core, pusher, branches);
    }
}

impl Handler<ReceivePack> for Repository {
    type Result = AtomicResponse<Self, ()>;

    fn handle(&mut self, msg: ReceivePack, _: &mut Self::Context) -> Self::Result {
        let ReceivePack {
            pusher,
            io,
            done,
            max_input,
        } = msg;
        if self.role_of(Some(&pusher)) < Some(Role::Write) {
            let _ = done.send(Err(ActorError::Forbidden(format!(
                "{pusher} may not push to {}: pushing needs a write Grant",
                self.core.iri()
            ))));
            return AtomicResponse::new(Box::pin(actix::fut::ready(())));
        }
        if let Some(why) = crate::kinds::repository_archive::push_refusal(&self.core) {
            let _ = done.send(Err(ActorError::Forbidden(why)));
            return AtomicResponse::new(Box::pin(actix::fut::ready(())));
        }
        let push = Push {
            dir: self.git_dir(),
            timeout: self.core.env.push_timeout,
            max_input,
        };
        let started_ms = crate::base::clock::now_ms();
        tracing::info!(repo = %self.core.r, %pusher, "push started");
        let work = async move {
            let mut done = Some(done);
            let result = push.run(io, &mut done).await;
            (result, done)
        };
        AtomicResponse::new(Box::pin(work.into_actor(self).map(
            move |(res, done), act, _| {
                let answer = act.finish_push(&pusher, started_ms, res);
                if let Some(done) = done {
                    let _ = done.send(answer);
                }
            },
        )))
    }
}

/// What a push runs: `git receive-pack` in `dir`, within the time and size limits.
struct Push {
    dir: PathBuf,
    timeout: Duration,
    max_input: Option<InputLimit>,
}

/// What a push changed: the ref updates, the branches with their new commits, git's exit code.
type Pushed = (Vec<RefUpdate>, Vec<PushedBranch>, i32);

impl Push {
    /// Runs git, answers the client (`done`) as soon as git has updated the refs, then reads
    /// the refs after and the commits each branch gained, off the actor thread.
    async fn run(
        self,
        io: GitIo,
        done: &mut Option<oneshot::Sender<Result<i32>>>,
    ) -> Result<Pushed> {
        let Push {
            dir,
            timeout,
            max_input,
        } = self;
        let before = {
            let d = dir.clone();
            tokio::task::spawn_blocking(move || git::read_refs(&d)).await??
        };
        let exit = run_git("receive-pack", dir.clone(), io, timeout, max_input).await?;
        // git has updated the refs: the client is answered now, while the actor, still holding
        // its mailbox, logs and publishes the push (nothing the client waits for).
        if let Some(done) = done.take() {
            let _ = done.send(Ok(exit));
        }
        let listed = tokio::task::spawn_blocking(move || {
            let after = git::read_refs(&dir)?;
            let updates = Repository::updates(&before, &after);
            let branches = crate::kinds::push::pushed_branches(&dir, &before, &updates);
            Ok::<_, ActorError>((updates, branches))
        });
        let (updates, branches) = listed.await??;
        Ok((updates, branches, exit))
    }
}

impl Repository {
    /// Back on the actor after a push: logs it and publishes its Push activities.
    fn finish_push(&self, pusher: &Url, started_ms: u64, res: Result<Pushed>) -> Result<i32> {
        let (updates, branches, exit) = match res {
            Ok(pushed) => pushed,
            Err(e) => {
                tracing::error!(repo = %self.core.r, error = %e, "push failed");
                return Err(e);
            }
        };
        let record = PushRecord {
            pusher: pusher.to_string(),
            started_ms,
            ended_ms: crate::base::clock::now_ms(),
            exit,
            updates,
        };
        self.log_and_publish(pusher, &record, &branches);
        let count = record.updates.len();
        tracing::info!(repo = %self.core.r, exit, updates = count, "push finished");
        Ok(exit)
    }
}

impl Handler<UploadPack> for Repository {
    type Result = ();

    fn handle(&mut self, msg: UploadPack, _: &mut Self::Context) {
        let UploadPack {
            who,
            io,
            done,
            options,
        } = msg;
        let reader = who.map_or(Reader::Anonymous, Reader::Actor);
        if !crate::kinds::repository_visibility::may_read(&self.core, &reader) {
            let _ = done.send(Err(ActorError::NotFound(format!(
                "repository {}",
                self.core.r.id
            ))));
            return;
        }
        let dir = self.git_dir();
        let timeout = self.core.env.push_timeout;
        // Started in mailbox order (after any push before it), run beside the mailbox.
        actix::spawn(async move {
            let ran = run_git_with("upload-pack", &options, dir, io, timeout, None).await;
            let _ = done.send(ran);
        });
    }
}

impl Handler<GetPushLog> for Repository {
    type Result = Result<Vec<PushRecord>>;

    fn handle(&mut self, _: GetPushLog, _: &mut Self::Context) -> Self::Result {
        let mut out = Vec::new();
        for entry in self.core.tree.scan_prefix(layout::prefix(PUSH)) {
            out.push(codec::decode(&entry?.1)?);
        }
        Ok(out)
    }
}
