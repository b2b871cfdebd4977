//! What every local actor has: its record (name, key, creation time), its tree, its IRIs, its
//! inbox and outbox collections, and its actor document. Each actor type embeds an `ActorCore`.

use crate::error::{ActorError, Result};
use crate::keys::KeyPair;
use crate::kind::{ActorKind, ActorRef};
use crate::storage::codec;
use crate::storage::engine::{TxError, TxResult, TxTree};
use crate::storage::layout::{self, ACTOR_INDEX, COUNTER, META};
use crate::storage::store::Store;
use crate::urls::Urls;
use serde::{Deserialize, Serialize};

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

/// The current time in RFC 3339.
pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_string())
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

/// What every actor is given: storage, IRIs, the outbound queue and the repositories directory.
#[derive(Clone)]
pub struct Env {
    pub store: Store,
    pub urls: Urls,
    pub outbound: crate::outbound::Outbound,
    pub repos: std::sync::Arc<std::path::PathBuf>,
    /// Longest a git push or fetch may run.
    pub push_timeout: std::time::Duration,
}

impl ActorCore {
    /// The environment this actor was loaded with.
    pub fn env(&self) -> Env {
        Env {
            store: self.store.clone(),
            urls: self.urls.clone(),
            outbound: self.outbound.clone(),
            repos: self.repos.clone(),
            push_timeout: self.push_timeout,
        }
    }
}

/// The loaded state every actor type embeds.
pub struct ActorCore {
    pub r: ActorRef,
    pub tree: crate::storage::keyspace::ActorKeyspace,
    pub record: ActorRecord,
    /// The public key's PEM (from the record).
    pub public_key_pem: String,
    /// The signing key, parsed from the record on first use (`signing_key`).
    key: std::cell::OnceCell<KeyPair>,
    pub urls: Urls,
    pub store: Store,
    /// Where published activities go for delivery.
    pub outbound: crate::outbound::Outbound,
    /// Directory of the bare git repositories.
    pub repos: std::sync::Arc<std::path::PathBuf>,
    /// Longest a git push or fetch may run.
    pub push_timeout: std::time::Duration,
    /// While an inbox item is processed: its id and how many activities it emitted so far, so
    /// the ids of what it emits are the same if the processing is re-run after a crash.
    pub emit_seed: std::cell::RefCell<Option<(String, u32)>>,
    /// Inbox counters and staged items (see `inbox`), loaded on first use.
    pub inbox: std::cell::RefCell<crate::inbox::InboxState>,
    /// Removes the registry entry when this actor is dropped; None outside the registry.
    pub activation: Option<crate::registry::ActivationGuard>,
}

impl ActorCore {
    /// Loads a stored actor. NotFound when it is not in the index.
    pub fn load(env: &Env, r: &ActorRef) -> Result<ActorCore> {
        let (store, urls, outbound) = (&env.store, &env.urls, &env.outbound);
        if !store.actor_exists(r)? {
            return Err(ActorError::NotFound(format!("actor {r}")));
        }
        let tree = store.keyspace(r)?;
        let bytes = tree
            .get(record_key())?
            .ok_or_else(|| ActorError::Corrupt(format!("{r} has no record")))?;
        let mut record: ActorRecord = codec::decode(&bytes)?;
        let key = std::cell::OnceCell::new();
        let public_key_pem = match record.public_key_pem.clone() {
            Some(pem) => pem,
            None => {
                let pair = KeyPair::from_pkcs8_pem(&record.private_key_pem)?;
                let pem = pair.public_pem().to_string();
                let _ = key.set(pair);
                record.public_key_pem = Some(pem.clone());
                tree.insert(record_key(), codec::encode(&record)?)?;
                pem
            }
        };
        Ok(ActorCore {
            r: r.clone(),
            tree,
            record,
            public_key_pem,
            key,
            urls: urls.clone(),
            store: store.clone(),
            outbound: outbound.clone(),
            repos: env.repos.clone(),
            push_timeout: env.push_timeout,
            emit_seed: Default::default(),
            inbox: Default::default(),
            activation: None,
        })
    }

    /// The actor's signing key, parsed from its record the first time it is needed.
    pub fn signing_key(&self) -> Result<KeyPair> {
        if let Some(key) = self.key.get() {
            return Ok(key.clone());
        }
        let key = KeyPair::from_pkcs8_pem(&self.record.private_key_pem)?;
        Ok(self.key.get_or_init(|| key).clone())
    }

    /// This actor's IRI.
    pub fn iri(&self) -> url::Url {
        self.urls.actor(&self.r)
    }

    /// Writes the record back after a change.
    pub fn save_record(&self) -> Result<()> {
        self.tree
            .insert(record_key(), codec::encode(&self.record)?)?;
        Ok(())
    }

    /// The actor document: `@context`, type, id, inbox, outbox, followers, following, names and
    /// the public key. Actor types add their own fields to it.
    pub fn document(&self) -> schema::Actor {
        let id = self.iri();
        let public_key = schema::PublicKey {
            id: self.urls.key_id(&self.r),
            owner: id.clone(),
            public_key_pem: self.public_key_pem.clone(),
        };
        let mut doc = schema::Actor::new(
            id,
            self.record.kind.clone(),
            self.urls.actor_sub(&self.r, "inbox"),
        );
        doc.context = Some(schema::context::default_context());
        doc.outbox = Some(self.urls.actor_sub(&self.r, "outbox"));
        doc.followers = Some(self.urls.actor_sub(&self.r, "followers"));
        doc.following = Some(self.urls.actor_sub(&self.r, "following"));
        doc.preferred_username = Some(self.r.id.clone());
        doc.name = Some(
            self.record
                .name
                .clone()
                .unwrap_or_else(|| self.r.id.clone()),
        );
        doc.summary = self.record.summary.clone();
        doc.public_key = Some(schema::OneOrMany::One(schema::IriOrObject::Object(
            Box::new(public_key),
        )));
        doc.endpoints = Some(schema::Endpoints {
            shared_inbox: Some(self.urls.shared_inbox()),
            extra: Default::default(),
        });
        doc.published = Some(self.record.created.clone());
        if matches!(self.r.kind, ActorKind::Repository | ActorKind::Project) {
            doc.likes = Some(self.urls.actor_sub(&self.r, "likes"));
        }
        if let Some(projects) = crate::project::context_of(&self.record) {
            doc.extra.insert("context".into(), projects);
        }
        doc
    }
}
