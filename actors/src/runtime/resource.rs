//! The `Resource` trait that ties an actor type to the registry: its kind, the messages it
//! answers, how it is activated and how it acts on a received activity.

use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::base::kind::ActorKind;
use crate::runtime::messages::{
    GetActivity, GetCollection, GetDocument, GetSigningKey, Passivate, PostOutbox, ProcessInbox,
    ReadActivity, Receive,
};
use actix::prelude::*;
use serde_json::Value;

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
    /// own activities and fall back to `crate::runtime::dispatch::handle_common`.
    fn handle_activity(
        &mut self,
        activity: &schema::Activity,
        raw: &Value,
        _ctx: &mut Context<Self>,
    ) -> Result<()> {
        crate::runtime::dispatch::handle_common(self.core_mut(), activity, raw)
    }
}
