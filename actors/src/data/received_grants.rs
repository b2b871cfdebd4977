//! The Grants a person was given (its `grants` collection): `received-grant 0xFF <grant iri>` ->
//! `ReceivedGrant` in its tree.

use crate::actor::state::ActorCore;
use crate::base::error::Result;
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

/// Items of a person's `grants` collection: each Grant held, with its state.
pub fn items(core: &ActorCore) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for entry in core.tree.scan_prefix(layout::prefix(RECEIVED_GRANT)) {
        let g: ReceivedGrant = codec::decode(&entry?.1)?;
        let mut item = g.grant;
        item["state"] = Value::from(if g.revoked { "revoked" } else { "active" });
        out.push(item);
    }
    Ok(out)
}
