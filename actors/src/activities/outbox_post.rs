//! The sending actor's own side of what it publishes through its outbox (C2S): a Follow waits
//! in `following` for its Accept; an Undo of a Follow forgets it. Implicit recipients (the
//! followed actor) are added to `to` so they are delivered to.

use crate::actor::state::ActorCore;
use crate::base::addressing::add_to;
use crate::base::clock::now_rfc3339;
use crate::base::error::{ActorError, Result};
use crate::data::followers::Following;
use crate::data::published;
use crate::storage::codec;
use crate::storage::layout::{self, FOLLOWING};
use serde_json::{Map, Value};

pub fn apply(
    core: &mut ActorCore,
    activity: &schema::Activity,
    map: &mut Map<String, Value>,
) -> Result<()> {
    match activity.kind.as_str() {
        "Follow" => follow(core, activity, map),
        "Undo" => undo(core, activity, map),
        "Accept" => accept(core, activity, map),
        // The tracker of the ticket (or merge request) closed or merged.
        "Resolve" | "Apply" => {
            if let Some(tracker) = activity.object_id().and_then(tracker_of) {
                add_to(map, &tracker);
            }
            Ok(())
        }
        "Create" if activity.object.as_ref().is_some_and(|o| o.has_type("Note")) => {
            let context = map
                .get("object")
                .and_then(|o| o.get("context"))
                .and_then(|c| c.as_str())
                .and_then(|c| url::Url::parse(c).ok());
            if let Some(tracker) = context.as_ref().and_then(tracker_of) {
                add_to(map, &tracker);
            }
            Ok(())
        }
        // The resource acted on, and the person concerned, receive these.
        "Invite" | "Remove" | "Create" | "Edit" | "Patch" | "Offer" | "Add" | "Like" | "Delete" => {
            for iri in [
                activity.target_id(),
                activity.origin_id(),
                activity.object_id().filter(|_| activity.kind != "Create"),
            ]
            .into_iter()
            .flatten()
            {
                add_to(map, iri);
                // A project's components collection: the project itself must receive it.
                if let Some(project) =
                    crate::urls::owner_of_collection(iri, crate::urls::Collection::Components)
                {
                    add_to(map, &project);
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The tracker of a ticket IRI `<tracker>/tickets/<n>` (`<tracker>/merge-requests/<n>`), or of
/// a review thread or Approval IRI.
fn tracker_of(iri: &url::Url) -> Option<url::Url> {
    crate::urls::tracker_of_ticket(iri)
        .or_else(|| crate::urls::tracker_of_review_part(iri).map(|(tracker, _)| tracker))
}

/// The tracker of an Approval an Undo names by IRI (dismissing a review).
fn dismissed_at(activity: &schema::Activity) -> Option<url::Url> {
    let iri = activity.object.as_ref()?.as_iri()?;
    match crate::urls::tracker_of_review_part(iri)? {
        (tracker, crate::urls::ReviewPart::Approval) => Some(tracker),
        _ => None,
    }
}

/// An Accept of an invitation goes to the resource and the inviter.
fn accept(
    core: &mut ActorCore,
    activity: &schema::Activity,
    map: &mut Map<String, Value>,
) -> Result<()> {
    if let Some(invite_id) = activity.object_id() {
        if let Some(inv) = super::invite::invitation_for(core, invite_id)? {
            for iri in [inv.resource, inv.inviter] {
                if let Ok(u) = url::Url::parse(&iri) {
                    add_to(map, &u);
                }
            }
        }
    }
    Ok(())
}

fn follow(
    core: &mut ActorCore,
    activity: &schema::Activity,
    map: &mut Map<String, Value>,
) -> Result<()> {
    let followee = activity
        .object_id()
        .cloned()
        .ok_or_else(|| ActorError::Invalid("a Follow needs an object".into()))?;
    if followee == core.iri() {
        return Err(ActorError::Invalid("an actor cannot follow itself".into()));
    }
    let id = activity
        .id
        .as_ref()
        .map(|u| u.to_string())
        .unwrap_or_default();
    let entry = Following {
        follow: id,
        accepted: false,
        since: now_rfc3339(),
    };
    core.tree.insert(
        layout::key(FOLLOWING, followee.as_str().as_bytes()),
        codec::encode(&entry)?,
    )?;
    add_to(map, &followee);
    Ok(())
}

fn undo(
    core: &mut ActorCore,
    activity: &schema::Activity,
    map: &mut Map<String, Value>,
) -> Result<()> {
    // An Undo naming one of our activities by IRI gets it embedded, as remote servers expect.
    let inner_raw = match activity
        .object_id()
        .and_then(|id| published::by_iri(core, id))
    {
        Some(raw) => {
            let embedded = crate::base::embed::embedded(&raw);
            map.insert("object".into(), embedded.clone());
            Some(embedded)
        }
        None => map.get("object").filter(|v| v.is_object()).cloned(),
    };
    if let (None, Some(tracker)) = (&inner_raw, dismissed_at(activity)) {
        add_to(map, &tracker);
        return Ok(());
    }
    let Some(inner_raw) = inner_raw else {
        return Err(ActorError::Invalid("Undo of an unknown activity".into()));
    };
    let inner: schema::Activity = serde_json::from_value(inner_raw)
        .map_err(|e| ActorError::Invalid(format!("Undo's object is not an activity: {e}")))?;
    if inner.actor_id() != Some(&core.iri()) {
        return Err(ActorError::Forbidden(
            "an actor can only undo its own activities".into(),
        ));
    }
    if inner.kind == "Resolve" {
        if let Some(tracker) = inner.object_id().and_then(tracker_of) {
            add_to(map, &tracker);
        }
    }
    if inner.kind == "Like" {
        if let Some(object) = inner.object_id() {
            add_to(map, object);
        }
    }
    if inner.kind == "Follow" {
        if let Some(followee) = inner.object_id() {
            core.tree
                .remove(layout::key(FOLLOWING, followee.as_str().as_bytes()))?;
            core.env
                .store
                .instance()
                .remove(super::accept::follows_key(followee, &core.r.tree_name()))?;
            add_to(map, followee);
        }
    }
    Ok(())
}
