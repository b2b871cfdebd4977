//! The `Resource` trait that ties an actor type to the registry: its kind, the messages it
//! answers, how it is activated and how it acts on a received activity.

use crate::actor::git_jobs::GitJobDone;
use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::base::kind::ActorKind;
use crate::runtime::accepted::Accepted;
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
    + Handler<GitJobDone>
{
    /// The kind of actor this type implements.
    const KIND: ActorKind;

    /// The closed set of activities this actor type acts on (see `kinds::accepted`); others
    /// are stored and ignored.
    type Accepted: Accepted;

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

    /// Acts on one received activity, parsed at the door. `raw` is the activity as received,
    /// for what embeds or keeps it verbatim (an Accept or Reject of it, a stored Add).
    fn handle_activity(
        &mut self,
        activity: Self::Accepted,
        raw: &Value,
        ctx: &mut Context<Self>,
    ) -> Result<()>;

    /// The answer to a `GitJob` this actor submitted (`actor::git_jobs`). Kinds that submit
    /// jobs override this; the default logs the answer and ignores it.
    fn git_job_done(&mut self, done: GitJobDone, _ctx: &mut Context<Self>) -> Result<()> {
        tracing::debug!(actor = %self.core().r, tag = %done.tag, outcome = ?done.outcome,
            "git job answer ignored");
        Ok(())
    }
}
