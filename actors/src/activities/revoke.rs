//! Revoke received by a person: the Grants it names, when issued by the Revoke's actor, are
//! marked revoked in the person's `grants` collection.

use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::data::received_grants::ReceivedGrant;
use crate::storage::codec;
use crate::storage::layout;
use crate::storage::layout::RECEIVED_GRANT;
use serde_json::Value;

pub fn received(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    let Some(revoker) = activity.actor_id() else {
        return Ok(());
    };
    // `object` may be one Grant or several, as IRIs or embedded.
    let id_of = |v: &Value| {
        v.as_str()
            .or_else(|| v.get("id").and_then(Value::as_str))
            .map(str::to_string)
    };
    let ids: Vec<String> = match &raw["object"] {
        Value::Array(items) => items.iter().filter_map(id_of).collect(),
        other => id_of(other).into_iter().collect(),
    };
    for id in ids {
        let key = layout::key(RECEIVED_GRANT, id.as_bytes());
        let Some(bytes) = core.tree.get(&key)? else {
            continue;
        };
        let mut entry: ReceivedGrant = codec::decode(&bytes)?;
        if entry.grant["actor"].as_str() != Some(revoker.as_str()) {
            tracing::warn!(grant = %id, %revoker, "Revoke of a Grant by someone who did not issue it; ignored");
            continue;
        }
        entry.revoked = true;
        core.tree.insert(key, codec::encode(&entry)?)?;
        tracing::info!(grant = %id, "grant revoked");
    }
    Ok(())
}
