//! Follow received: record the follower once, and answer with an Accept embedding the Follow.

use crate::actor::state::ActorCore;
use crate::base::clock::now_rfc3339;
use crate::base::error::{ActorError, Result};
use crate::data::followers;
use crate::data::followers::Follower;
use crate::publish::outbox::emit;
use crate::storage::codec;
use crate::storage::layout::FOLLOWERS;
use serde_json::{json, Value};

pub fn received(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    let follower = activity
        .actor_id()
        .cloned()
        .ok_or_else(|| ActorError::Invalid("Follow without actor".into()))?;
    if activity.object_id() != Some(&core.iri()) {
        return Err(ActorError::Invalid("Follow of another actor".into()));
    }
    if followers::follower(core, &follower)?.is_none() {
        let entry = Follower {
            follow: activity
                .id
                .as_ref()
                .map(|u| u.to_string())
                .unwrap_or_default(),
            since: now_rfc3339(),
        };
        crate::storage::sizes::insert(
            &core.tree,
            FOLLOWERS,
            follower.as_str().as_bytes(),
            &codec::encode(&entry)?,
        )?;
        tracing::info!(%follower, "new follower");
    }
    emit(
        core,
        "Accept",
        json!({ "object": crate::base::embed::embedded(raw) }),
        &[follower],
    )?;
    Ok(())
}
