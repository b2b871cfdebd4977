//! Which handler of `activities` a received activity goes to: the handlers every actor type
//! shares (each kind adds its own in its `Resource::handle_activity`).

use crate::actor::state::ActorCore;
use crate::base::error::Result;
use serde_json::Value;

/// The handlers every actor type shares: Follow, Accept, Reject and Undo; for a person also
/// Invite, Grant and Revoke (what it is given); for a resource Invite, Accept (of an Invite) and
/// Remove (what its admins do), each checked against the Grant the activity invokes.
pub fn handle_common(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    let person = core.r.kind == crate::base::kind::ActorKind::Person;
    match activity.kind.as_str() {
        "Follow" => crate::activities::follow::received(core, activity, raw),
        "Accept"
            if !person && crate::activities::accept::matching_follow(core, activity)?.is_none() =>
        {
            if crate::activities::components::dispatch::handles_accept(core, activity)? {
                crate::activities::components::dispatch::accept(core, activity, raw)
            } else {
                crate::activities::invite::accepted(core, activity, raw)
            }
        }
        "Accept" => crate::activities::accept::received(core, activity),
        "Reject" => crate::activities::reject::received(core, activity),
        "Undo" if crate::base::embed::is_undo_of(activity, "Like") => {
            crate::activities::stars::unliked(core, activity, &raw["object"])
        }
        "Undo" => match undone_by_iri(core, activity) {
            Ok(Some(like)) if like["type"] == "Like" => {
                crate::activities::stars::unliked(core, activity, &like)
            }
            Ok(_) => crate::activities::undo::received(core, activity),
            // What was received cannot be read back: undo what can be undone by id alone.
            Err(e) => {
                tracing::warn!(error = %e, "the activity an Undo names could not be read");
                crate::activities::undo::received(core, activity)
            }
        },
        "Like" if !person => crate::activities::stars::liked(core, activity, raw),
        "Invite" if person => crate::activities::invite::invited(core, activity, raw),
        "Invite" => crate::activities::invite::received(core, activity, raw),
        "Add" if !person => crate::activities::components::dispatch::add(core, activity, raw),
        "Remove"
            if !person
                && crate::activities::components::dispatch::handles_remove(core, activity)? =>
        {
            crate::activities::components::dispatch::remove(core, activity, raw)
        }
        "Remove" if !person => crate::activities::remove::received(core, activity, raw),
        "Grant" if person => crate::activities::grant::received(core, activity, raw),
        "Revoke" if person => crate::activities::revoke::received(core, activity, raw),
        other => {
            tracing::info!(kind = other, "no handler; ignored");
            Ok(())
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
