//! `Leave{object: this resource}`: the actor waives its access (ForgeFed "Waiving access using
//! Leave activities"). Every Grant it holds on this resource is disabled and a `Revoke{object:
//! <the Grant>, fulfills: <the Leave>}` sent to it; an actor holding none is answered with a
//! Reject. A PatchTracker leaving a repository it is linked to unlinks them this way
//! (`merge_requests::link_remove`).

use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::data::grants;
use crate::publish::outbox;
use crate::publish::reject::reject;
use serde_json::{json, Value};

pub fn received(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    if activity.object_id() != Some(&core.iri()) {
        return reject(
            core,
            activity,
            raw,
            "the Leave's object is not this resource",
        );
    }
    let Some(leaver) = activity.actor_id().cloned() else {
        return Ok(());
    };
    let revoked = grants::revoke_all_of(core, &leaver)?;
    if revoked.is_empty() {
        let why = format!("{leaver} holds no Grant on this resource");
        return reject(core, activity, raw, &why);
    }
    for grant in revoked {
        let fields = json!({ "object": grant, "fulfills": activity.id });
        outbox::emit(core, "Revoke", fields, std::slice::from_ref(&leaver))?;
    }
    tracing::info!(%leaver, "left: its grants are revoked");
    Ok(())
}
