//! The persisted description of a local actor (`meta 0xFF record` in its tree): its type, id,
//! names, creation time and key; creating one (index, counter and record in one transaction);
//! and the projects a component's record lists.

use crate::base::clock::now_rfc3339;
use crate::base::error::{ActorError, Result};
use crate::base::keys::KeyPair;
use crate::base::kind::{ActorKind, ActorRef};
use crate::storage::codec;
use crate::storage::engine::{TxError, TxResult, TxTree};
use crate::storage::layout::{self, ACTOR_INDEX, COUNTER, META};
use crate::storage::store::Store;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The record field of a component that lists its projects.
pub const PROJECTS: &str = "projects";

/// Key of the actor record inside an actor tree: `meta 0xFF record`.
pub fn record_key() -> Vec<u8> {
    layout::key(META, b"record")
}

/// The persisted description of a local actor (`meta 0xFF record` in its tree).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ActorRecord {
    /// The ActivityStreams type, e.g. `Person`.
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// RFC 3339 creation time.
    pub created: String,
    /// PKCS#8 PEM private key, generated once and never regenerated.
    pub private_key_pem: String,
    /// SPKI PEM of the public key, kept so that activating the actor (to serve its document)
    /// does not parse the private key (a quarter of an activation's time). Absent in records
    /// written before; filled in on their next activation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key_pem: Option<String>,
    /// Type-specific fields (e.g. a Factory's `availableActorTypes`).
    #[serde(default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl ActorRecord {
    /// A new record with a freshly generated key. CPU-heavy: call from a blocking thread.
    pub fn generate(kind: ActorKind, id: &str, name: Option<String>) -> Result<ActorRecord> {
        let key = KeyPair::generate()?;
        Ok(ActorRecord {
            kind: kind.as_type().to_string(),
            id: id.to_string(),
            name,
            summary: None,
            created: now_rfc3339(),
            private_key_pem: key.private_pem()?,
            public_key_pem: Some(key.public_pem().to_string()),
            extra: Default::default(),
        })
    }
}

/// Inside a transaction over (instance tree, actor tree): adds the actor to the index, bumps the
/// kind's counter and writes its record. Aborts with Conflict when the actor already exists.
pub fn create_in_transaction(
    instance: &dyn TxTree,
    actor_tree: &dyn TxTree,
    actor_prefix: &[u8],
    r: &ActorRef,
    record: &ActorRecord,
) -> TxResult<()> {
    let index_key = layout::key(ACTOR_INDEX, r.tree_name().as_bytes());
    if instance.get(&index_key)?.is_some() {
        return Err(TxError::Abort(ActorError::Conflict(format!(
            "{} already exists",
            r
        ))));
    }
    instance.insert(&index_key, &[])?;
    let counter_key = layout::key(COUNTER, r.kind.tree_prefix().as_bytes());
    let n = instance
        .get(&counter_key)?
        .map(|v| codec::decode_u64(&v))
        .unwrap_or(0);
    instance.insert(&counter_key, &(n + 1).to_be_bytes())?;
    let bytes = codec::encode(record)?;
    let mut key = actor_prefix.to_vec();
    key.extend_from_slice(&record_key());
    actor_tree.insert(&key, &bytes)?;
    Ok(())
}

/// Creates a local actor (index, counter, record) atomically. Conflict if it exists.
pub fn create(store: &Store, r: &ActorRef, record: &ActorRecord) -> Result<()> {
    let tree = store.keyspace(r)?;
    store.transaction(&[store.instance(), tree.raw()], |t| {
        create_in_transaction(t[0], t[1], tree.prefix(), r, record)
    })
}

/// The projects a component belongs to (`extra["projects"]` of its record).
pub fn linked_projects(record: &ActorRecord) -> Vec<String> {
    record
        .extra
        .get(PROJECTS)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Replaces the projects a component belongs to (the caller saves the record).
pub fn set_linked_projects(record: &mut ActorRecord, projects: Vec<String>) {
    if projects.is_empty() {
        record.extra.remove(PROJECTS);
    } else {
        record.extra.insert(PROJECTS.into(), json!(projects));
    }
}

/// The `context` of a component's actor document: its project, or an array of them; None when
/// it belongs to no project.
pub fn context_of(record: &ActorRecord) -> Option<Value> {
    let projects = linked_projects(record);
    match projects.len() {
        0 => None,
        1 => Some(json!(projects[0])),
        _ => Some(json!(projects)),
    }
}
