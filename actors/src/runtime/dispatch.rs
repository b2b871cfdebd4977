//! The received activities whose handler depends on what the actor stored, not on their type
//! alone: an Accept or a Remove received by a resource, and an Undo. Each kind's
//! `Resource::handle_activity` dispatches its accepted enum (`kinds::accepted`) once, through
//! these where the stored state decides.

use crate::activities::components::dispatch as components;
use crate::activities::{accept, invite, remove, stars, undo as undo_follow};
use crate::actor::state::ActorCore;
use crate::base::embed::is_undo_of;
use crate::base::error::Result;
use serde_json::Value;

/// An Accept received by a resource: of a Follow it sent, of a component's Add, or of an
/// Invite (checked against the Grant it invokes).
pub fn accept_by_resource(
    core: &mut ActorCore,
    activity: &schema::Activity,
    raw: &Value,
) -> Result<()> {
    if accept::matching_follow(core, activity)?.is_some() {
        return accept::received(core, activity);
    }
    if components::handles_accept(core, activity)? {
        components::accept(core, activity, raw)
    } else {
        invite::accepted(core, activity, raw)
    }
}

/// A Remove received by a resource: of a component (the project flow), or of a person.
pub fn remove_by_resource(
    core: &mut ActorCore,
    activity: &schema::Activity,
    raw: &Value,
) -> Result<()> {
    if components::handles_remove(core, activity)? {
        components::remove(core, activity, raw)
    } else {
        remove::received(core, activity, raw)
    }
}

/// An Undo: of a Like (embedded, or named by the IRI this actor received it under) unstars;
/// anything else undoes a Follow.
pub fn undo(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    if is_undo_of(activity, "Like") {
        return stars::unliked(core, activity, &raw["object"]);
    }
    match undone_by_iri(core, activity) {
        Ok(Some(like)) if like["type"] == "Like" => stars::unliked(core, activity, &like),
        Ok(_) => undo_follow::received(core, activity),
        // What was received cannot be read back: undo what can be undone by id alone.
        Err(e) => {
            tracing::warn!(error = %e, "the activity an Undo names could not be read");
            undo_follow::received(core, activity)
        }
    }
}

/// The activity an Undo names by IRI, as this actor received it (None when the Undo embeds
/// it, or when nothing was received under that id).
fn undone_by_iri(core: &ActorCore, activity: &schema::Activity) -> Result<Option<Value>> {
    match activity.object.as_ref().and_then(|o| o.as_iri()) {
        Some(iri) => core.received_activity(iri.as_str()),
        None => Ok(None),
    }
}
