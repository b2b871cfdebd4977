//! Grant received by a person: kept in the person's `grants` collection.
//!
//! Key: person tree `received-grant 0xFF <grant iri>` -> JSON `ReceivedGrant`.

use crate::actor::state::ActorCore;
use crate::base::error::{ActorError, Result};
use crate::data::received_grants::ReceivedGrant;
use crate::storage::codec;
use crate::storage::layout;
use crate::storage::layout::RECEIVED_GRANT;
use serde_json::Value;

/// A Grant for this person: kept in its `grants` collection.
pub fn received(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    if activity.target_id() != Some(&core.iri()) {
        // A copy of someone else's Grant (e.g. cc'd to the inviter): kept in the inbox only.
        tracing::debug!(grant = ?activity.id, "Grant for someone else; nothing to keep");
        return Ok(());
    }
    let issuer = activity.actor_id();
    if issuer.is_none() || issuer != activity.context_id() {
        // Only a resource's own Grants are kept: the issuer is the resource it is about.
        return Err(ActorError::Invalid(
            "a Grant whose issuer is not its context".into(),
        ));
    }
    let id = activity
        .id
        .as_ref()
        .ok_or_else(|| ActorError::Invalid("a Grant needs an id".into()))?;
    let entry = ReceivedGrant {
        grant: crate::base::embed::embedded(raw),
        revoked: false,
    };
    core.tree.insert(
        layout::key(RECEIVED_GRANT, id.as_str().as_bytes()),
        codec::encode(&entry)?,
    )?;
    tracing::info!(grant = %id, "grant received");
    Ok(())
}
