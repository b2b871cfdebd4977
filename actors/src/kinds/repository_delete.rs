//! `Delete{object: <this repository>}` by an admin (ForgeFed "Deleting Resource Actors"): the
//! repository Accepts it to its followers and the sender (the Accept's delivery jobs carry the
//! signing key, which is removed with the rest), writes its tombstone (`data::tombstones`:
//! out of the actor index, so never activated again; every IRI answers 410), then, holding its
//! mailbox, removes its data and bare directory off-thread (`deletion::purge`) and stops.
//! Anything else (another object, no admin Grant) is a Reject that changes nothing.

use crate::base::clock::now_rfc3339;
use crate::base::error::{ActorError, Result};
use crate::data::tombstones::{self, Tombstone};
use crate::grants::capability;
use crate::kinds::repository::Repository;
use crate::publish::outbox;
use crate::publish::reject::reject;
use crate::urls::Collection;
use actix::prelude::*;
use schema::Role;
use serde_json::{json, Value};

impl Repository {
    /// Handles a received Delete (same path for C2S and S2S senders).
    pub(crate) fn delete(
        &mut self,
        activity: &schema::Activity,
        raw: &Value,
        ctx: &mut Context<Self>,
    ) -> Result<()> {
        if activity.object_id() != Some(&self.core.iri()) {
            let why = "the Delete's object is not this repository";
            return reject(&self.core, activity, raw, why);
        }
        if let Err(why) = capability::check(&self.core, activity, Role::Admin) {
            return reject(&self.core, activity, raw, &why);
        }
        let (Some(sender), Some(delete_id)) = (activity.actor_id(), activity.id.as_ref()) else {
            return reject(
                &self.core,
                activity,
                raw,
                "the Delete needs an id and an actor",
            );
        };
        let followers = self
            .core
            .env
            .urls
            .collection(&self.core.r, Collection::Followers);
        let to = [followers, sender.clone()];
        outbox::emit_last(&self.core, "Accept", json!({ "object": delete_id }), &to)?;
        let tombstone = Tombstone {
            former_type: self.core.record.kind.clone(),
            deleted: now_rfc3339(),
            by: Some(sender.to_string()),
        };
        tombstones::bury(&self.core.env.store, &self.core.r, &tombstone)?;
        tracing::warn!(repo = %self.core.r, by = %sender, "repository deleted");
        self.purge_and_stop(ctx);
        Ok(())
    }

    /// Holds the mailbox (and the Delete's inbox item, never marked processed: the keyspace is
    /// gone) while the data is removed off-thread, then stops the actor.
    fn purge_and_stop(&mut self, ctx: &mut Context<Self>) {
        self.core.hold_current();
        let (env, r) = (self.core.env.clone(), self.core.r.clone());
        let job = tokio::task::spawn_blocking(move || crate::kinds::deletion::purge(&env, &r));
        ctx.wait(actix::fut::wrap_future::<_, Self>(job).map(|res, act, ctx| {
            let res = res.map_err(ActorError::from).and_then(|r| r);
            if let Err(e) = res {
                // The tombstone stands; an admin's release purges again.
                tracing::error!(repo = %act.core.r, error = %e, "removing a deleted repository's data failed");
            }
            ctx.stop();
        }));
    }
}
