//! Grant received by a person: kept in the person's `grants` collection.
//!
//! Key: person tree `received-grant 0xFF <grant iri>` -> JSON `ReceivedGrant`.

use crate::core::ActorCore;
use crate::error::{ActorError, Result};
use crate::storage::codec;
use crate::storage::layout::{self, RECEIVED_GRANT};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A Grant this person holds, as received, and whether it was revoked since.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReceivedGrant {
    pub grant: Value,
    pub revoked: bool,
}

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
        grant: super::embedded(raw),
        revoked: false,
    };
    core.tree.insert(
        layout::key(RECEIVED_GRANT, id.as_str().as_bytes()),
        codec::encode(&entry)?,
    )?;
    tracing::info!(grant = %id, "grant received");
    Ok(())
}

impl ActorCore {
    /// Items of a person's `grants` collection: each Grant held, with its state.
    pub fn received_grants_items(&self) -> Result<Vec<Value>> {
        let mut out = Vec::new();
        for entry in self.tree.scan_prefix(layout::prefix(RECEIVED_GRANT)) {
            let g: ReceivedGrant = codec::decode(&entry?.1)?;
            let mut item = g.grant;
            item["state"] = Value::from(if g.revoked { "revoked" } else { "active" });
            out.push(item);
        }
        Ok(out)
    }
}
