//! The Repository-PatchTracker link, the repository's side (see `link` for the whole flow):
//! once the repository has granted a PatchTracker `write` through an accepted Invite, it points
//! to it with `sendPatchesTo` (`extra.sendPatchesTo` of its record); once that Grant is revoked
//! (an admin's `Remove` of the tracker, or the tracker's `Leave`: `link_remove`), it stops and
//! tells its followers (`Update`). The document names the tracker only while it still holds
//! `write`.
//!
//! A local tracker is known by its kind; a remote one when the Invite as the repository
//! received it embeds it as `{"id": <tracker>, "type": "PatchTracker"}`.

use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::base::kind::ActorKind;
use crate::data::grants::role_held_by;
use schema::Role;
use serde_json::{json, Value};
use url::Url;

/// The record field naming the linked tracker.
pub const SEND_PATCHES_TO: &str = "sendPatchesTo";

/// Whether `who` is a PatchTracker, as far as this repository can tell.
fn is_patch_tracker(core: &ActorCore, who: &Url, invite: &Value) -> bool {
    if core.env.urls.is_local(who) {
        let r = core.env.urls.parse_actor(who);
        return r.is_some_and(|r| r.kind == ActorKind::PatchTracker);
    }
    let received = invite["id"]
        .as_str()
        .and_then(|id| core.received_activity(id).ok().flatten());
    let embeds =
        |i: &Value| i["object"]["id"] == who.as_str() && i["object"]["type"] == "PatchTracker";
    embeds(invite) || received.as_ref().is_some_and(embeds)
}

/// After an Accept was handled: when its actor is a PatchTracker that now holds `write` here
/// (its Accept of our Invite made us grant it), point to it.
pub fn after_accept(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    let Some(tracker) = activity.actor_id() else {
        return Ok(());
    };
    let writes = role_held_by(core, tracker).is_some_and(|r| r >= Role::Write);
    let current = core
        .record
        .extra
        .get(SEND_PATCHES_TO)
        .and_then(Value::as_str);
    if !writes
        || current == Some(tracker.as_str())
        || !is_patch_tracker(core, tracker, &raw["object"])
    {
        return Ok(());
    }
    core.record
        .extra
        .insert(SEND_PATCHES_TO.into(), json!(tracker));
    core.save_record()?;
    tracing::info!(%tracker, "patches go to this tracker");
    Ok(())
}

/// After a Remove (of the tracker, by an admin of the repository) or a Leave (by the tracker)
/// was handled: a linked tracker that lost its `write` is no longer pointed to. Answers whether
/// it was (the document changed).
pub fn after_remove(core: &mut ActorCore) -> Result<bool> {
    if send_patches_to(core).is_some() {
        return Ok(false);
    }
    if core.record.extra.remove(SEND_PATCHES_TO).is_some() {
        core.save_record()?;
        tracing::info!("no tracker takes patches any more");
        return Ok(true);
    }
    Ok(false)
}

/// The linked tracker, while it holds `write` on this repository.
pub fn send_patches_to(core: &ActorCore) -> Option<Url> {
    let tracker = core.record.extra.get(SEND_PATCHES_TO)?.as_str()?;
    let tracker = Url::parse(tracker).ok()?;
    let writes = role_held_by(core, &tracker).is_some_and(|r| r >= Role::Write);
    writes.then_some(tracker)
}
