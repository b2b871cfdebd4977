//! Processing received activities: one handler per activity type (one file each), dispatched
//! from the actor's pending inbox items, plus the actor's own side of what it sends
//! (`outgoing`). The same path serves activities from remote inboxes and from local actors.

pub mod accept;
pub mod components;
pub mod follow;
pub mod grant;
pub mod invite;
pub mod outgoing;
pub mod reject;
pub mod remove;
pub mod revoke;
pub mod stars;
pub mod tickets;
pub mod undo;

use crate::core::ActorCore;
use crate::error::Result;
use crate::messages::Resource;
use serde_json::Value;

/// Processes every stored, unprocessed inbox item of the actor, oldest first. A handler error
/// is logged and the item is not retried (handlers are idempotent; a bad activity stays bad).
pub fn process_pending<A: Resource>(actor: &mut A, ctx: &mut actix::Context<A>) -> Result<usize> {
    let mut done = 0;
    while let Some((seq, raw)) = actor.core().next_pending()? {
        actor.core().begin_item(seq);
        process_one(actor, &raw, ctx);
        if actor.core().is_held() {
            // Its processing goes on asynchronously; it is marked processed when done.
            break;
        }
        actor.core().end_item(seq)?;
        done += 1;
    }
    if done == 0 {
        actor.core().clear_pending_entry_if_idle()?;
    }
    Ok(done)
}

fn process_one<A: Resource>(actor: &mut A, raw: &Value, ctx: &mut actix::Context<A>) {
    let me = actor.core().r.clone();
    let kind = raw.get("type").and_then(Value::as_str).unwrap_or_default();
    if !A::ACCEPTS.contains(&kind) {
        tracing::debug!(actor = %me, kind, "activity type not handled by this actor; ignored");
        return;
    }
    let activity: schema::Activity =
        match <schema::Activity as serde::Deserialize>::deserialize(raw) {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!(actor = %me, error = %e, "stored activity does not parse; skipped");
                return;
            }
        };
    let id = activity
        .id
        .as_ref()
        .map(|u| u.to_string())
        .unwrap_or_default();
    let span = tracing::info_span!("activity", actor = %me, activity = %id, kind = %activity.kind);
    let _enter = span.enter();
    match actor.handle_activity(&activity, raw, ctx) {
        Ok(()) => tracing::debug!("activity processed"),
        Err(e) => tracing::warn!(error = %e, "activity refused"),
    }
}

/// The handlers every actor type shares: Follow, Accept, Reject and Undo; for a person also
/// Invite, Grant and Revoke (what it is given); for a resource Invite, Accept (of an Invite) and
/// Remove (what its admins do), each checked against the Grant the activity invokes.
pub fn handle_common(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    let person = core.r.kind == crate::kind::ActorKind::Person;
    match activity.kind.as_str() {
        "Follow" => follow::received(core, activity, raw),
        "Accept" if !person && accept::matching_follow(core, activity)?.is_none() => {
            if components::handles_accept(core, activity)? {
                components::accept(core, activity, raw)
            } else {
                invite::accepted(core, activity, raw)
            }
        }
        "Accept" => accept::received(core, activity),
        "Reject" => reject::received(core, activity),
        "Undo" if is_undo_of(activity, "Like") => stars::unliked(core, activity, &raw["object"]),
        "Undo" => match undone_by_iri(core, activity) {
            Ok(Some(like)) if like["type"] == "Like" => stars::unliked(core, activity, &like),
            Ok(_) => undo::received(core, activity),
            // What was received cannot be read back: undo what can be undone by id alone.
            Err(e) => {
                tracing::warn!(error = %e, "the activity an Undo names could not be read");
                undo::received(core, activity)
            }
        },
        "Like" if !person => stars::liked(core, activity, raw),
        "Invite" if person => invite::invited(core, activity, raw),
        "Invite" => invite::received(core, activity, raw),
        "Add" if !person => components::add(core, activity, raw),
        "Remove" if !person && components::handles_remove(core, activity)? => {
            components::remove(core, activity, raw)
        }
        "Remove" if !person => remove::received(core, activity, raw),
        "Grant" if person => grant::received(core, activity, raw),
        "Revoke" if person => revoke::received(core, activity, raw),
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

/// True when an Undo's object is an embedded activity of type `kind`.
pub fn is_undo_of(activity: &schema::Activity, kind: &str) -> bool {
    activity.kind == "Undo"
        && activity
            .object
            .as_ref()
            .and_then(|o| o.as_object())
            .is_some_and(|o| o.has_type(kind))
}

/// An embedded activity without its `@context`, for use as the `object` of another.
pub fn embedded(raw: &Value) -> Value {
    let mut v = raw.clone();
    if let Value::Object(m) = &mut v {
        m.remove("@context");
    }
    v
}
