//! The Repository actor: a git repository with its own tree (`repository/<id>`), key, inbox and
//! outbox, and a bare git directory `<repos>/<id>.git`. A push runs `git receive-pack` while the
//! actor holds its mailbox (`AtomicResponse`): no other message of this repository is handled
//! until the push ends or times out, so pushes never interleave. After a push it publishes one
//! `Push` per updated branch to its followers. Fetches run `git upload-pack` beside the mailbox.
//!
//! Keys: `push 0xFF <be u64 seq>` -> JSON `PushRecord` (the push log, with timings).

use crate::actor::state::ActorCore;
use crate::base::error::{ActorError, Result};
use crate::base::kind::ActorKind;
use crate::data::grants;
use crate::git::{self, Refs, ZERO};
use crate::git_io::GitIo;
use crate::git_process::{run_git, run_git_with, GitOptions, InputLimit};
use crate::grants::capability;
use crate::kinds::accepted::RepositoryActivity;
use crate::kinds::push::RefUpdate;
use crate::publish::reject::reject;
use crate::runtime::resource::Resource;
use crate::storage::codec;
use crate::storage::layout;
use crate::storage::layout::PUSH;
use actix::prelude::*;
use schema::Role;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
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

/// A local Repository.
pub struct Repository {
    pub core: ActorCore,
}

impl Repository {
    /// The bare git directory.
    pub fn git_dir(&self) -> PathBuf {
        crate::kinds::creation::repo_path(&self.core.env, &self.core.r.id)
    }

    /// Everyone may read (repositories are public); Grants give more.
    fn role_of(&self, who: Option<&Url>) -> Option<Role> {
        let held = who.and_then(|w| grants::role_held_by(&self.core, w));
        Some(held.map_or(Role::Visit, |r| r.max(Role::Visit)))
    }

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
        let dir = self.git_dir();
        let timeout = self.core.env.push_timeout;
        let started_ms = crate::base::clock::now_ms();
        tracing::info!(repo = %self.core.r, %pusher, "push started");
        let work = async move {
            let mut done = Some(done);
            let result = async {
                let before = {
                    let d = dir.clone();
                    tokio::task::spawn_blocking(move || git::read_refs(&d)).await??
                };
                let exit = run_git("receive-pack", dir.clone(), io, timeout, max_input).await?;
                // git has updated the refs: the client is answered now, while the actor, still
                // holding its mailbox, logs and publishes the push (nothing the client waits for).
                if let Some(done) = done.take() {
                    let _ = done.send(Ok(exit));
                }
                // The refs after, and the commits each branch gained, are read off the actor thread.
                let listed = tokio::task::spawn_blocking(move || {
                    let after = git::read_refs(&dir)?;
                    let updates = Repository::updates(&before, &after);
                    let branches = crate::kinds::push::pushed_branches(&dir, &before, &updates);
                    Ok::<_, ActorError>((updates, branches))
                });
                let (updates, branches) = listed.await??;
                Ok::<_, ActorError>((updates, branches, exit))
            }
            .await;
            (result, done)
        };
        AtomicResponse::new(Box::pin(work.into_actor(self).map(move |(res, done), act, _| {
            let answer = match res {
                Ok((updates, branches, exit)) => {
                    let record = PushRecord {
                        pusher: pusher.to_string(),
                        started_ms,
                        ended_ms: crate::base::clock::now_ms(),
                        exit,
                        updates: updates.clone(),
                    };
                    if let Err(e) = act.log_push(&record) {
                        tracing::error!(error = %e, "cannot log push");
                    }
                    crate::kinds::push::publish(&act.core, &pusher, &branches);
                    tracing::info!(repo = %act.core.r, exit, updates = updates.len(), "push finished");
                    Ok(exit)
                }
                Err(e) => {
                    tracing::error!(repo = %act.core.r, error = %e, "push failed");
                    Err(e)
                }
            };
            if let Some(done) = done {
                let _ = done.send(answer);
            }
        })))
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
        if self.role_of(who.as_ref()) < Some(Role::Visit) {
            let _ = done.send(Err(ActorError::Forbidden(
                "cloning needs a visit Grant".into(),
            )));
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

/// The repositories on other instances this one federates its local stars to (an orchard
/// extension, like Forgejo's "following repositories"): a local person's Like of this
/// repository is also sent, as their own Like, to each of them. Never incoming Likes.
#[derive(Message)]
#[rtype(result = "Vec<Url>")]
pub struct GetFederatedRepositories;

/// Most federated repositories one repository may list.
pub const MAX_FEDERATED: usize = 16;

impl Handler<GetFederatedRepositories> for Repository {
    type Result = Vec<Url>;

    fn handle(&mut self, _: GetFederatedRepositories, _: &mut Self::Context) -> Vec<Url> {
        self.federated()
    }
}

impl Repository {
    fn federated(&self) -> Vec<Url> {
        self.core
            .record
            .extra
            .get("federatedRepositories")
            .and_then(|v| v.as_array())
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.as_str().and_then(|s| Url::parse(s).ok()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `Edit{object: {id: <this>, federatedRepositories: [...]}}` by an admin.
    fn edit(&mut self, activity: &schema::Activity, raw: &serde_json::Value) -> Result<()> {
        let object = &raw["object"];
        if object["id"].as_str() != Some(self.core.iri().as_str()) {
            return reject(
                &self.core,
                activity,
                raw,
                "the Edit's object is not this repository",
            );
        }
        if let Err(why) = capability::check(&self.core, activity, Role::Admin) {
            return reject(&self.core, activity, raw, &why);
        }
        let Some(list) = object["federatedRepositories"].as_array() else {
            return reject(
                &self.core,
                activity,
                raw,
                "nothing to edit: federatedRepositories is missing",
            );
        };
        let mut iris: Vec<Url> = Vec::new();
        for item in list {
            let Some(u) = item.as_str().and_then(|s| Url::parse(s).ok()) else {
                return reject(
                    &self.core,
                    activity,
                    raw,
                    "federatedRepositories must be IRIs",
                );
            };
            if !matches!(u.scheme(), "http" | "https") || u == self.core.iri() {
                return reject(
                    &self.core,
                    activity,
                    raw,
                    format!("{u} cannot be a federated repository"),
                );
            }
            if !iris.contains(&u) {
                iris.push(u);
            }
        }
        if iris.len() > MAX_FEDERATED {
            return reject(
                &self.core,
                activity,
                raw,
                format!("at most {MAX_FEDERATED} federated repositories"),
            );
        }
        self.core
            .record
            .extra
            .insert("federatedRepositories".into(), serde_json::json!(iris));
        self.core.save_record()?;
        tracing::info!(repo = %self.core.r, count = iris.len(), "federated repositories edited");
        Ok(())
    }
}

impl Actor for Repository {
    type Context = Context<Self>;
}

impl Resource for Repository {
    const KIND: ActorKind = ActorKind::Repository;
    type Accepted = RepositoryActivity;

    fn activate(core: ActorCore) -> Result<Self> {
        Ok(Repository { core })
    }

    fn core(&self) -> &ActorCore {
        &self.core
    }

    fn core_mut(&mut self) -> &mut ActorCore {
        &mut self.core
    }

    fn document(&self) -> schema::Actor {
        let mut doc = self.core.document();
        let me = self.core.iri();
        doc.extra.insert("cloneUri".into(), serde_json::json!(me));
        let federated = self.federated();
        if !federated.is_empty() {
            doc.extra
                .insert("federatedRepositories".into(), serde_json::json!(federated));
        }
        doc
    }

    fn handle_activity(
        &mut self,
        activity: RepositoryActivity,
        raw: &serde_json::Value,
        _ctx: &mut Context<Self>,
    ) -> Result<()> {
        use crate::activities::{components::dispatch as components, follow, invite, stars};
        use crate::runtime::dispatch;
        let core = &mut self.core;
        match activity {
            RepositoryActivity::Follow(a) => follow::received(core, &a, raw),
            RepositoryActivity::Undo(a) => dispatch::undo(core, &a, raw),
            RepositoryActivity::Invite(a) => invite::received(core, &a, raw),
            RepositoryActivity::Accept(a) => dispatch::accept_by_resource(core, &a, raw),
            RepositoryActivity::Remove(a) => dispatch::remove_by_resource(core, &a, raw),
            RepositoryActivity::Like(a) => stars::liked(core, &a, raw),
            RepositoryActivity::Add(a) => components::add(core, &a, raw),
            RepositoryActivity::Edit(a) => self.edit(&a, raw),
        }
    }
}

common_handlers!(Repository);
