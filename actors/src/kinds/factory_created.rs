//! The end of a Factory's Create: the new actor committed with the Factory's `created` marker,
//! its creator granted `admin`, the Accept (to the creator, and to the origin of a fork, which
//! then lists the fork), and a fork's copy of its origin (`factory_fork`).

use crate::base::error::Result;
use crate::kinds::creation::{self, Prepared};
use crate::kinds::factory::Factory;
use crate::publish::outbox;
use crate::publish::reject::reject;
use serde_json::{json, Value};
use url::Url;

impl Factory {
    pub(crate) fn finish_create(
        &mut self,
        prepared: Result<Prepared>,
        activity: &schema::Activity,
        raw: &Value,
        creator: &Url,
        create_id: &Url,
    ) -> Result<()> {
        let env = self.core.env.clone();
        let committed = prepared.and_then(|p| {
            creation::commit_for_create(&env, &p, &self.core.tree, create_id).map(|_| p)
        });
        let prepared = match committed {
            Ok(p) => p,
            Err(e) => {
                tracing::error!(error = %e, "cannot create actor");
                return reject(
                    &self.core,
                    activity,
                    raw,
                    "the actor could not be created; try again",
                );
            }
        };
        self.announce_created(&prepared.r, raw, creator, create_id)
    }

    /// Grants the creator admin over the new actor and Accepts the Create (same ids if re-run).
    pub(crate) fn announce_created(
        &mut self,
        r: &crate::base::kind::ActorRef,
        raw: &Value,
        creator: &Url,
        create_id: &Url,
    ) -> Result<()> {
        let env = self.core.env.clone();
        creation::grant_creator(&env, r, creator, create_id)?;
        let created = self.core.env.urls.actor(r);
        // A fork's Accept goes to its origin too, which then lists the fork.
        let origin = crate::kinds::factory_fork::origin_of(&raw["object"])
            .ok()
            .flatten();
        let to: Vec<Url> = std::iter::once(creator.clone())
            .chain(origin.clone())
            .collect();
        outbox::emit(
            &self.core,
            "Accept",
            json!({ "object": crate::base::embed::embedded(raw), "result": created }),
            &to,
        )?;
        match origin {
            Some(origin) => self.copy_origin(r, origin, creator, create_id),
            None => Ok(()),
        }
    }
}
