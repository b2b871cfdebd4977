//! What every actor type answers in the same way: receiving an activity through the group
//! commit, stopping when due, the `common_handlers!` macro implementing the messages of
//! `runtime::messages` for a kind, and `core_accessors!`, the `Resource` methods over a kind's
//! `core` field.

use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::runtime::messages::{ProcessInbox, Receive, Received};
use crate::runtime::resource::Resource;
use actix::prelude::*;

/// Handles `Receive` for any actor type: stages the activity for the group commit, lets the
/// actor go on with other messages while the commit is made durable, then answers and processes
/// it (processes it before stopping too, if a stop was asked for meanwhile).
pub fn receive<A: Resource>(
    core: &ActorCore,
    msg: Receive,
) -> ResponseActFuture<A, Result<Received>> {
    let staged = match core.stage_received(msg.activity, &msg.id) {
        Ok(staged) => staged,
        Err(e) => return Box::pin(actix::fut::ready(Err(e))),
    };
    let store = core.env.store.clone();
    let ticket = staged.ticket();
    let commit = actix::fut::wrap_future::<_, A>(async move { store.committed(ticket).await });
    Box::pin(commit.map(move |committed, act, ctx| {
        let stop = act.core().receive_committed(&staged, committed.is_ok());
        let received = committed.map(|()| match staged {
            crate::actor::inbox_counters::Staged::Stored { seq, .. } => Received::Stored(seq),
            crate::actor::inbox_counters::Staged::Duplicate { .. } => Received::Duplicate,
        });
        if stop {
            stop_if_due(act, ctx);
        } else if let Ok(Received::Stored(_)) = received {
            ctx.notify(ProcessInbox);
        }
        received
    }))
}

/// Stops the actor if a stop was asked for and nothing is in flight or held, processing what is
/// durable first. Processing may hold an item again (a Factory's Create): then the actor stops
/// when that is done (`Factory` calls this again after `release_held`).
pub fn stop_if_due<A: Resource>(act: &mut A, ctx: &mut Context<A>) {
    if !act.core().stop_due() {
        return;
    }
    if let Err(e) = crate::runtime::processing::process_pending(act, ctx) {
        tracing::warn!(actor = %act.core().r, error = %e, "processing before stopping failed");
    }
    if act.core().stop_due() {
        ctx.stop();
    }
}

/// Implements the messages every actor type answers in the same way. In scope for the kinds
/// through `#[macro_use]` on `runtime` and `runtime::handlers`.
/// Inside a kind's `impl Resource`: `activate`, `core` and `core_mut` over its `core` field
/// (every kind is a struct holding its `ActorCore` as `core`).
macro_rules! core_accessors {
    () => {
        fn activate(core: $crate::actor::state::ActorCore) -> $crate::base::error::Result<Self> {
            Ok(Self { core })
        }

        fn core(&self) -> &$crate::actor::state::ActorCore {
            &self.core
        }

        fn core_mut(&mut self) -> &mut $crate::actor::state::ActorCore {
            &mut self.core
        }
    };
}

macro_rules! common_handlers {
    ($ty:ty) => {
        impl ::actix::Handler<$crate::runtime::messages::GetDocument> for $ty {
            type Result = $crate::base::error::Result<::schema::Actor>;
            fn handle(
                &mut self,
                _: $crate::runtime::messages::GetDocument,
                _: &mut Self::Context,
            ) -> Self::Result {
                Ok($crate::runtime::resource::Resource::document(self))
            }
        }

        impl ::actix::Handler<$crate::runtime::messages::Passivate> for $ty {
            type Result = ();
            fn handle(&mut self, _: $crate::runtime::messages::Passivate, ctx: &mut Self::Context) {
                ::tracing::debug!(actor = %self.core.r, "passivating idle actor");
                // Receives still waiting for their commit, or a held item, stop it when done.
                self.core.request_stop();
                $crate::runtime::handlers::stop_if_due(self, ctx);
            }
        }

        impl ::actix::Handler<$crate::runtime::messages::Receive> for $ty {
            type Result = ::actix::ResponseActFuture<
                Self,
                $crate::base::error::Result<$crate::runtime::messages::Received>,
            >;
            fn handle(
                &mut self,
                msg: $crate::runtime::messages::Receive,
                _: &mut Self::Context,
            ) -> Self::Result {
                $crate::runtime::handlers::receive(&self.core, msg)
            }
        }

        impl ::actix::Handler<$crate::runtime::messages::ProcessInbox> for $ty {
            type Result = $crate::base::error::Result<usize>;
            fn handle(
                &mut self,
                _: $crate::runtime::messages::ProcessInbox,
                ctx: &mut Self::Context,
            ) -> Self::Result {
                $crate::runtime::processing::process_pending(self, ctx)
            }
        }

        impl ::actix::Handler<$crate::runtime::messages::PostOutbox> for $ty {
            type Result = $crate::base::error::Result<::url::Url>;
            fn handle(
                &mut self,
                msg: $crate::runtime::messages::PostOutbox,
                _: &mut Self::Context,
            ) -> Self::Result {
                $crate::runtime::c2s::post_outbox(&mut self.core, msg.0)
            }
        }

        impl ::actix::Handler<$crate::runtime::messages::GetSigningKey> for $ty {
            type Result = $crate::base::error::Result<$crate::base::keys::KeyPair>;
            fn handle(
                &mut self,
                _: $crate::runtime::messages::GetSigningKey,
                _: &mut Self::Context,
            ) -> Self::Result {
                self.core.signing_key()
            }
        }

        impl ::actix::Handler<$crate::runtime::messages::GetCollection> for $ty {
            type Result = $crate::base::error::Result<::serde_json::Value>;
            fn handle(
                &mut self,
                msg: $crate::runtime::messages::GetCollection,
                _: &mut Self::Context,
            ) -> Self::Result {
                $crate::collections::get(&self.core, &msg)
            }
        }

        impl ::actix::Handler<$crate::runtime::messages::GetActivity> for $ty {
            type Result = $crate::base::error::Result<::serde_json::Value>;
            fn handle(
                &mut self,
                msg: $crate::runtime::messages::GetActivity,
                _: &mut Self::Context,
            ) -> Self::Result {
                $crate::data::published::activity(&self.core, &msg.0)
            }
        }

        impl ::actix::Handler<$crate::runtime::messages::ReadActivity> for $ty {
            type Result = $crate::base::error::Result<::serde_json::Value>;
            fn handle(
                &mut self,
                msg: $crate::runtime::messages::ReadActivity,
                _: &mut Self::Context,
            ) -> Self::Result {
                $crate::publish::audience::served(&self.core, &msg.local_id, &msg.reader)
            }
        }

        impl ::actix::Handler<$crate::actor::git_jobs::GitJobDone> for $ty {
            type Result = $crate::base::error::Result<()>;
            fn handle(
                &mut self,
                msg: $crate::actor::git_jobs::GitJobDone,
                ctx: &mut Self::Context,
            ) -> Self::Result {
                $crate::runtime::resource::Resource::git_job_done(self, msg, ctx)
            }
        }
    };
}
