//! The loaded state every local actor embeds (`ActorCore`): its reference, its tree, its record
//! and keys, what it was given (`Env`), and its inbox state. Reads and writes of a domain's data
//! live in the `data` layer; what the actor serves is built in `document` and `runtime`.

use crate::actor::env::Env;
use crate::actor::inbox_counters::InboxState;
use crate::actor::record::{record_key, ActorRecord};
use crate::base::error::{ActorError, Result};
use crate::base::keys::KeyPair;
use crate::base::kind::ActorRef;
use crate::storage::codec;
use crate::storage::keyspace::ActorKeyspace;
use std::cell::{OnceCell, RefCell};

/// The loaded state every actor type embeds.
pub struct ActorCore {
    pub r: ActorRef,
    /// The actor's own keyspace.
    pub tree: ActorKeyspace,
    pub record: ActorRecord,
    pub keys: ActorKeys,
    /// Storage, IRIs, the delivery queue and git settings, as the registry gave them.
    pub env: Env,
    /// While an inbox item is processed: its id and how many activities it emitted so far, so
    /// the ids of what it emits are the same if the processing is re-run after a crash.
    pub emit_seed: RefCell<Option<(String, u32)>>,
    /// Inbox counters and staged items (see `inbox_counters`), loaded on first use.
    pub inbox: RefCell<InboxState>,
    /// Dropped with the actor (after it stopped): the registry's guard that removes its entry.
    /// None outside the registry.
    pub activation: Option<Box<dyn Send>>,
}

/// The actor's key pair: the public PEM (from the record) and the signing key, parsed from the
/// record's private PEM on first use.
pub struct ActorKeys {
    pub public_pem: String,
    signing: OnceCell<KeyPair>,
}

impl ActorKeys {
    /// The keys of a record. Records written before kept no public PEM: it is derived (and the
    /// record changed, answered `true`, for the caller to save).
    pub fn of(record: &mut ActorRecord) -> Result<(ActorKeys, bool)> {
        let signing = OnceCell::new();
        if let Some(pem) = record.public_key_pem.clone() {
            return Ok((
                ActorKeys {
                    public_pem: pem,
                    signing,
                },
                false,
            ));
        }
        let pair = KeyPair::from_pkcs8_pem(&record.private_key_pem)?;
        let pem = pair.public_pem().to_string();
        let _ = signing.set(pair);
        record.public_key_pem = Some(pem.clone());
        Ok((
            ActorKeys {
                public_pem: pem,
                signing,
            },
            true,
        ))
    }

    /// The signing key, parsed from the record's private PEM the first time it is needed.
    pub fn signing_key(&self, record: &ActorRecord) -> Result<KeyPair> {
        if let Some(key) = self.signing.get() {
            return Ok(key.clone());
        }
        let key = KeyPair::from_pkcs8_pem(&record.private_key_pem)?;
        Ok(self.signing.get_or_init(|| key).clone())
    }
}

impl ActorCore {
    /// Loads a stored actor. NotFound when it is not in the index.
    pub fn load(env: &Env, r: &ActorRef) -> Result<ActorCore> {
        if !env.store.actor_exists(r)? {
            return Err(ActorError::NotFound(format!("actor {r}")));
        }
        let tree = env.store.keyspace(r)?;
        let bytes = tree
            .get(record_key())?
            .ok_or_else(|| ActorError::Corrupt(format!("{r} has no record")))?;
        let mut record: ActorRecord = codec::decode(&bytes)?;
        let (keys, changed) = ActorKeys::of(&mut record)?;
        if changed {
            tree.insert(record_key(), codec::encode(&record)?)?;
        }
        Ok(ActorCore {
            r: r.clone(),
            tree,
            record,
            keys,
            env: env.clone(),
            emit_seed: Default::default(),
            inbox: Default::default(),
            activation: None,
        })
    }

    /// The actor's signing key, parsed from its record the first time it is needed.
    pub fn signing_key(&self) -> Result<KeyPair> {
        self.keys.signing_key(&self.record)
    }

    /// This actor's IRI.
    pub fn iri(&self) -> url::Url {
        self.env.urls.actor(&self.r)
    }

    /// Writes the record back after a change.
    pub fn save_record(&self) -> Result<()> {
        self.tree
            .insert(record_key(), codec::encode(&self.record)?)?;
        Ok(())
    }
}
