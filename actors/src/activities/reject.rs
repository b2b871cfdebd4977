//! Reject received: a Follow this actor sent was refused; forget it. Other Rejects stay in the
//! inbox for the person to read.

use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::storage::layout::{self, FOLLOWING};

pub fn received(core: &mut ActorCore, activity: &schema::Activity) -> Result<()> {
    if super::accept::matching_follow(core, activity)?.is_none() {
        // A Reject of something else (a Create, an Offer...) stays in the inbox to be read.
        tracing::info!(object = ?activity.object_id(), summary = ?activity.summary, "Reject received");
        return Ok(());
    }
    if let Some(by) = activity.actor_id() {
        core.tree
            .remove(layout::key(FOLLOWING, by.as_str().as_bytes()))?;
        tracing::info!(followee = %by, "follow rejected");
    }
    Ok(())
}
