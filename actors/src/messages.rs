//! Messages every actor type handles, and the `Resource` trait that ties an actor type to the
//! registry. Type-specific messages live beside their actor.

use crate::core::ActorCore;
use crate::error::Result;
use crate::keys::KeyPair;
use crate::kind::{ActorKind, ActorRef};
use actix::prelude::*;
use serde_json::Value;
use url::Url;

/// Asks an actor for its JSON-LD actor document.
#[derive(Message)]
#[rtype(result = "Result<schema::Actor>")]
pub struct GetDocument;

/// Tells an idle actor to stop; the registry sends it and activates a fresh one on next use.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Passivate;

/// An activity for this actor's inbox, from a remote server (already verified) or from a local
/// actor. The actor stores it (unless its id was seen before) through the group commit and
/// answers once it is durable (a duplicate too); it processes it afterwards.
#[derive(Message)]
#[rtype(result = "Result<Received>")]
pub struct Receive {
    /// The activity as received.
    pub activity: Value,
    /// Its id, or a stable id derived from its content when it has none.
    pub id: String,
}

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
    let store = core.store.clone();
    let ticket = staged.ticket();
    let commit = actix::fut::wrap_future::<_, A>(async move { store.committed(ticket).await });
    Box::pin(commit.map(move |committed, act, ctx| {
        let stop = act.core().receive_committed(&staged, committed.is_ok());
        let received = committed.map(|()| match staged {
            crate::inbox::Staged::Stored { seq, .. } => Received::Stored(seq),
            crate::inbox::Staged::Duplicate { .. } => Received::Duplicate,
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
    if let Err(e) = crate::activities::process_pending(act, ctx) {
        tracing::warn!(actor = %act.core().r, error = %e, "processing before stopping failed");
    }
    if act.core().stop_due() {
        ctx.stop();
    }
}

/// What became of a received activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// Stored in the inbox under this sequence number; it will be processed.
    Stored(u64),
    /// An activity with this id was received before: nothing changed.
    Duplicate,
}

/// Processes the stored, not yet processed inbox items (sent after a restart too).
#[derive(Message)]
#[rtype(result = "Result<usize>")]
pub struct ProcessInbox;

/// A local person (or the actor itself) publishes an activity through its outbox (C2S): the actor
/// gives it an id, stores it, applies its own side of it and routes it to its recipients.
/// Answers the activity's id.
#[derive(Message)]
#[rtype(result = "Result<Url>")]
pub struct PostOutbox(pub Value);

/// Asks an actor for its signing key (used by delivery).
#[derive(Message)]
#[rtype(result = "Result<KeyPair>")]
pub struct GetSigningKey;

/// Asks an actor for one of its collections, as an OrderedCollection or one of its pages.
#[derive(Message)]
#[rtype(result = "Result<Value>")]
pub struct GetCollection {
    /// `inbox`, `outbox`, `followers` or `following` (types may add more).
    pub name: String,
    /// None for the collection itself, Some(n >= 1) for page n.
    pub page: Option<u64>,
    /// Who asks: the owner reads the inbox and the whole outbox; others see the outbox items
    /// they may read (see `audience`).
    pub reader: crate::audience::Reader,
}

/// Asks an actor for one activity it published, by the last segment of its id, whoever may
/// read it: for the server's own use. What is served goes through `ReadActivity`.
#[derive(Message)]
#[rtype(result = "Result<Value>")]
pub struct GetActivity(pub String);

/// Asks an actor for one activity it published, as served to `reader` (see `audience`):
/// NotFound when the reader may not read it, as when it does not exist.
#[derive(Message)]
#[rtype(result = "Result<Value>")]
pub struct ReadActivity {
    /// The last segment of its id.
    pub local_id: String,
    pub reader: crate::audience::Reader,
}

/// Outbound: an activity a local actor publishes, for the delivery service to route to local
/// actors (through `Receive`) and to remote inboxes (signed, through the persistent queue).
#[derive(Clone, Debug)]
pub struct Deliver {
    pub from: ActorRef,
    pub activity: Value,
    /// Actor IRIs (local or remote). Collections are already expanded by the sender.
    pub recipients: Vec<Url>,
}

/// An actor type the registry can activate from storage.
pub trait Resource:
    Actor<Context = Context<Self>>
    + Send
    + Handler<GetDocument>
    + Handler<Passivate>
    + Handler<Receive>
    + Handler<ProcessInbox>
    + Handler<PostOutbox>
    + Handler<GetSigningKey>
    + Handler<GetCollection>
    + Handler<GetActivity>
    + Handler<ReadActivity>
{
    /// The kind of actor this type implements.
    const KIND: ActorKind;

    /// The closed set of activity types this actor type acts on; others are stored and ignored.
    const ACCEPTS: &'static [&'static str];

    /// Builds the actor from its loaded core.
    fn activate(core: ActorCore) -> Result<Self>;

    /// The loaded core.
    fn core(&self) -> &ActorCore;

    /// The loaded core, mutably.
    fn core_mut(&mut self) -> &mut ActorCore;

    /// The actor document; types with extra fields override this.
    fn document(&self) -> schema::Actor {
        self.core().document()
    }

    /// Acts on one received activity whose type is in `ACCEPTS`. Types override this for their
    /// own activities and fall back to `crate::activities::handle_common`.
    fn handle_activity(
        &mut self,
        activity: &schema::Activity,
        raw: &Value,
        _ctx: &mut Context<Self>,
    ) -> Result<()> {
        crate::activities::handle_common(self.core_mut(), activity, raw)
    }
}

/// Implements the messages every actor type answers in the same way.
#[macro_export]
macro_rules! common_handlers {
    ($ty:ty) => {
        impl ::actix::Handler<$crate::messages::GetDocument> for $ty {
            type Result = $crate::error::Result<::schema::Actor>;
            fn handle(
                &mut self,
                _: $crate::messages::GetDocument,
                _: &mut Self::Context,
            ) -> Self::Result {
                Ok($crate::messages::Resource::document(self))
            }
        }

        impl ::actix::Handler<$crate::messages::Passivate> for $ty {
            type Result = ();
            fn handle(&mut self, _: $crate::messages::Passivate, ctx: &mut Self::Context) {
                ::tracing::debug!(actor = %self.core.r, "passivating idle actor");
                // Receives still waiting for their commit, or a held item, stop it when done.
                self.core.request_stop();
                $crate::messages::stop_if_due(self, ctx);
            }
        }

        impl ::actix::Handler<$crate::messages::Receive> for $ty {
            type Result = ::actix::ResponseActFuture<
                Self,
                $crate::error::Result<$crate::messages::Received>,
            >;
            fn handle(
                &mut self,
                msg: $crate::messages::Receive,
                _: &mut Self::Context,
            ) -> Self::Result {
                $crate::messages::receive(&self.core, msg)
            }
        }

        impl ::actix::Handler<$crate::messages::ProcessInbox> for $ty {
            type Result = $crate::error::Result<usize>;
            fn handle(
                &mut self,
                _: $crate::messages::ProcessInbox,
                ctx: &mut Self::Context,
            ) -> Self::Result {
                $crate::activities::process_pending(self, ctx)
            }
        }

        impl ::actix::Handler<$crate::messages::PostOutbox> for $ty {
            type Result = $crate::error::Result<::url::Url>;
            fn handle(
                &mut self,
                msg: $crate::messages::PostOutbox,
                _: &mut Self::Context,
            ) -> Self::Result {
                $crate::publish::post_outbox(&mut self.core, msg.0)
            }
        }

        impl ::actix::Handler<$crate::messages::GetSigningKey> for $ty {
            type Result = $crate::error::Result<$crate::keys::KeyPair>;
            fn handle(
                &mut self,
                _: $crate::messages::GetSigningKey,
                _: &mut Self::Context,
            ) -> Self::Result {
                self.core.signing_key()
            }
        }

        impl ::actix::Handler<$crate::messages::GetCollection> for $ty {
            type Result = $crate::error::Result<::serde_json::Value>;
            fn handle(
                &mut self,
                msg: $crate::messages::GetCollection,
                _: &mut Self::Context,
            ) -> Self::Result {
                $crate::collections::get(&self.core, &msg)
            }
        }

        impl ::actix::Handler<$crate::messages::GetActivity> for $ty {
            type Result = $crate::error::Result<::serde_json::Value>;
            fn handle(
                &mut self,
                msg: $crate::messages::GetActivity,
                _: &mut Self::Context,
            ) -> Self::Result {
                self.core.published_activity(&msg.0)
            }
        }

        impl ::actix::Handler<$crate::messages::ReadActivity> for $ty {
            type Result = $crate::error::Result<::serde_json::Value>;
            fn handle(
                &mut self,
                msg: $crate::messages::ReadActivity,
                _: &mut Self::Context,
            ) -> Self::Result {
                self.core.served_activity(&msg.local_id, &msg.reader)
            }
        }
    };
}
