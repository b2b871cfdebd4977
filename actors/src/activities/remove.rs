//! Remove{object: person, origin: this resource, capability}: an admin removes a person; every
//! Grant the person holds on this resource is revoked and a Revoke is sent to them.

use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::data::grants;
use crate::grants::capability;
use crate::publish::outbox;
use crate::publish::reject::reject;
use schema::Role;
use serde_json::{json, Value};

pub fn received(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    let me = core.iri();
    if activity.origin_id() != Some(&me) && activity.target_id() != Some(&me) {
        return reject(
            core,
            activity,
            raw,
            "the Remove's origin is not this resource",
        );
    }
    let Some(person) = activity.object_id().cloned() else {
        return reject(core, activity, raw, "the Remove has no object (the person)");
    };
    if let Err(why) = capability::check(core, activity, Role::Admin) {
        return reject(core, activity, raw, &why);
    }
    let revoked = grants::revoke_all_of(core, &person)?;
    if revoked.is_empty() {
        tracing::info!(%person, "Remove of a person holding no Grant");
        return Ok(());
    }
    let mut to = vec![person.clone()];
    if let Some(remover) = activity.actor_id() {
        to.push(remover.clone());
    }
    for grant in revoked {
        outbox::emit(core, "Revoke", json!({ "object": grant }), &to)?;
    }
    tracing::info!(%person, "grants revoked");
    Ok(())
}
