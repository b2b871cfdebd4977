//! Reject received: a Follow this actor sent was refused; forget it.

use crate::core::ActorCore;
use crate::error::{ActorError, Result};
use crate::store::{self, FOLLOWING};

pub fn received(core: &mut ActorCore, activity: &schema::Activity) -> Result<()> {
    if super::accept::matching_follow(core, activity)?.is_none() {
        return Err(ActorError::Invalid(
            "Reject of nothing this actor is waiting for".into(),
        ));
    }
    if let Some(by) = activity.actor_id() {
        core.tree
            .remove(store::key(FOLLOWING, by.as_str().as_bytes()))?;
        tracing::info!(followee = %by, "follow rejected");
    }
    Ok(())
}
