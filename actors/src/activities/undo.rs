//! Undo received: undoes a Follow, only when the Undo's actor is the Follow's actor.

use crate::actor::state::ActorCore;
use crate::base::error::{ActorError, Result};
use crate::data::followers;
use crate::storage::layout::FOLLOWERS;

pub fn received(core: &mut ActorCore, activity: &schema::Activity) -> Result<()> {
    let undoer = activity
        .actor_id()
        .cloned()
        .ok_or_else(|| ActorError::Invalid("Undo without actor".into()))?;
    let inner: Option<schema::Activity> = activity.object_as();
    let Some(entry) = followers::follower(core, &undoer)? else {
        return Err(ActorError::Invalid(format!(
            "{undoer} does not follow this actor"
        )));
    };
    match inner {
        Some(follow) => {
            if follow.kind != "Follow" {
                return Err(ActorError::Invalid(format!(
                    "cannot undo a {}",
                    follow.kind
                )));
            }
            if follow.actor_id() != Some(&undoer) {
                return Err(ActorError::Forbidden(
                    "the Undo's actor is not the Follow's actor".into(),
                ));
            }
            if follow.object_id() != Some(&core.iri()) {
                return Err(ActorError::Invalid(
                    "Undo of a Follow of another actor".into(),
                ));
            }
        }
        None => {
            let id = activity.object_id().map(|u| u.to_string());
            if id.as_deref() != Some(entry.follow.as_str()) || entry.follow.is_empty() {
                return Err(ActorError::Forbidden(
                    "the Undo names a Follow this actor did not receive from its sender".into(),
                ));
            }
        }
    }
    crate::storage::sizes::remove(&core.tree, FOLLOWERS, undoer.as_str().as_bytes())?;
    tracing::info!(follower = %undoer, "follower removed");
    Ok(())
}
