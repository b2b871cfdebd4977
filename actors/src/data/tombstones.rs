//! Tombstones of deleted local actors (instance tree, `tombstone 0xFF <kind>/<id>`): what is
//! left of an actor once it deleted itself (its former type and when). A tombstoned actor is
//! not in the `actor` index (so the registry never activates it again), its IRIs answer 410
//! Gone with the `document` built here, and its id is not given to a new actor until an admin
//! `forget`s the tombstone. `is_deleted` is how any other code tells a deleted actor.

use crate::base::error::{ActorError, Result};
use crate::base::kind::ActorRef;
use crate::storage::codec;
use crate::storage::engine::TxError;
use crate::storage::layout::{self, ACTOR_INDEX, COUNTER, TOMBSTONE};
use crate::storage::store::Store;
use crate::urls::Urls;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

/// What is kept of a deleted actor.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Tombstone {
    /// The ActivityStreams type it had, e.g. `Repository`.
    #[serde(rename = "formerType")]
    pub former_type: String,
    /// RFC 3339 time of the deletion.
    pub deleted: String,
    /// The IRI of who deleted it (the Delete's actor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

fn tombstone_key(r: &ActorRef) -> Vec<u8> {
    layout::key(TOMBSTONE, r.tree_name().as_bytes())
}

/// The tombstone of `r`, if it was deleted (and not released since).
pub fn get(store: &Store, r: &ActorRef) -> Result<Option<Tombstone>> {
    match store.instance().get(tombstone_key(r))? {
        Some(bytes) => Ok(Some(codec::decode(&bytes)?)),
        None => Ok(None),
    }
}

/// Whether `r` is a deleted actor: the one question other code asks.
pub fn is_deleted(store: &Store, r: &ActorRef) -> Result<bool> {
    store.instance().contains_key(tombstone_key(r))
}

/// In one transaction: takes `r` out of the actor index, counts one actor of its kind less, and
/// writes its tombstone. From then on the actor is not loaded again. Conflict if `r` is not a
/// stored actor.
pub fn bury(store: &Store, r: &ActorRef, tombstone: &Tombstone) -> Result<()> {
    let index_key = layout::key(ACTOR_INDEX, r.tree_name().as_bytes());
    let counter_key = layout::key(COUNTER, r.kind.tree_prefix().as_bytes());
    let bytes = codec::encode(tombstone)?;
    let key = tombstone_key(r);
    store.transaction(&[store.instance()], |t| {
        if t[0].get(&index_key)?.is_none() {
            return Err(TxError::Abort(ActorError::Conflict(format!(
                "{r} is not a stored actor"
            ))));
        }
        t[0].remove(&index_key)?;
        let n = t[0]
            .get(&counter_key)?
            .map(|v| codec::decode_u64(&v))
            .unwrap_or(0);
        t[0].insert(&counter_key, &n.saturating_sub(1).to_be_bytes())?;
        t[0].insert(&key, &bytes)
    })
}

/// Forgets the tombstone of `r` (its id is free again); false when there was none.
pub fn forget(store: &Store, r: &ActorRef) -> Result<bool> {
    Ok(store.instance().remove(tombstone_key(r))?.is_some())
}

/// Every tombstone, oldest key first: (`<kind>/<id>`, tombstone).
pub fn list(store: &Store) -> Result<Vec<(String, Tombstone)>> {
    let pre = layout::prefix(TOMBSTONE);
    let mut out = Vec::new();
    for entry in store.instance().scan_prefix(&pre) {
        let (k, v) = entry?;
        let name = String::from_utf8_lossy(&k[pre.len()..]).into_owned();
        out.push((name, codec::decode(&v)?));
    }
    Ok(out)
}

/// The ActivityStreams `Tombstone` served (410) at `asked`, an IRI of the deleted actor `r` or
/// of something it owned: `formerType` is the actor's type for the actor itself.
pub fn document(urls: &Urls, r: &ActorRef, t: &Tombstone, asked: &Url) -> Value {
    let actor = urls.actor(r);
    let mut doc = json!({
        "@context": schema::context::AS_CONTEXT,
        "type": "Tombstone",
        "id": asked,
        "deleted": t.deleted,
    });
    if *asked == actor {
        doc["formerType"] = json!(t.former_type);
    } else {
        doc["context"] = json!(actor);
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::kind::ActorKind;

    #[test]
    fn a_buried_actor_leaves_the_index_and_keeps_a_tombstone_until_forgotten() {
        let store = Store::in_memory().unwrap();
        let r = ActorRef::new(ActorKind::Repository, "r");
        let t = Tombstone {
            former_type: "Repository".into(),
            deleted: "2026-01-01T00:00:00Z".into(),
            by: None,
        };
        assert!(bury(&store, &r, &t).is_err(), "not stored: nothing to bury");
        store
            .instance()
            .insert(layout::key(ACTOR_INDEX, b"repository/r"), b"")
            .unwrap();
        bury(&store, &r, &t).unwrap();
        assert!(!store.actor_exists(&r).unwrap());
        assert!(is_deleted(&store, &r).unwrap());
        assert_eq!(get(&store, &r).unwrap(), Some(t));
        assert_eq!(list(&store).unwrap().len(), 1);
        assert!(forget(&store, &r).unwrap());
        assert!(!is_deleted(&store, &r).unwrap());
        assert!(!forget(&store, &r).unwrap());
    }
}
