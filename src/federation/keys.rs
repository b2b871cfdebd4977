//! Public keys of signers: local keys read from local actors, remote keys fetched once, cached
//! in the instance tree (`key 0xFF <key id>` -> JSON `CachedKey`) and kept parsed in memory.
//! A key that fails to verify is refetched once (the owner may have rotated it).

use super::fetch::Fetcher;
use super::signature::VerifyingKey;
use crate::error::{Error, Result};
use actors::storage::codec;
use actors::storage::layout::{self, KEY_CACHE};
use actors::storage::store::Store;
use actors::{Registry, Urls};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use url::Url;

/// Most parsed keys kept in memory; the map is cleared when it grows past this.
const MEMORY_CAP: usize = 10_000;

/// A remote key as fetched.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CachedKey {
    pub owner: String,
    pub pem: String,
    pub fetched: String,
}

/// A resolved key: its owner and the parsed key.
#[derive(Clone)]
pub struct ResolvedKey {
    pub owner: Url,
    pub key: Arc<VerifyingKey>,
}

/// Resolves key ids to keys. Cheap to clone.
#[derive(Clone)]
pub struct KeyStore {
    store: Store,
    urls: Urls,
    registry: Registry,
    fetcher: Arc<Fetcher>,
    instance_key: (Url, Arc<VerifyingKey>),
    memory: Arc<Mutex<HashMap<String, ResolvedKey>>>,
}

impl KeyStore {
    pub fn new(
        store: Store,
        urls: Urls,
        registry: Registry,
        fetcher: Arc<Fetcher>,
        instance_public_pem: &str,
    ) -> Result<KeyStore> {
        Ok(KeyStore {
            instance_key: (
                urls.instance_actor(),
                Arc::new(VerifyingKey::from_pem(instance_public_pem)?),
            ),
            store,
            urls,
            registry,
            fetcher,
            memory: Arc::new(Mutex::new(HashMap::new())),
        })
    }

    fn remember(&self, key_id: &Url, resolved: &ResolvedKey) {
        let mut memory = match self.memory.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        if memory.len() >= MEMORY_CAP {
            memory.clear();
        }
        memory.insert(key_id.to_string(), resolved.clone());
    }

    fn recalled(&self, key_id: &Url) -> Option<ResolvedKey> {
        let memory = match self.memory.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        memory.get(key_id.as_str()).cloned()
    }

    /// The key for `key_id`; with `refresh`, a remote key is fetched again even if cached.
    pub async fn resolve(&self, key_id: &Url, refresh: bool) -> Result<ResolvedKey> {
        if !refresh {
            if let Some(k) = self.recalled(key_id) {
                return Ok(k);
            }
        }
        let resolved = if self.urls.is_local(key_id) {
            self.local(key_id).await?
        } else {
            self.remote(key_id, refresh).await?
        };
        self.remember(key_id, &resolved);
        Ok(resolved)
    }

    async fn local(&self, key_id: &Url) -> Result<ResolvedKey> {
        if key_id == &self.urls.instance_key_id() {
            return Ok(ResolvedKey {
                owner: self.instance_key.0.clone(),
                key: self.instance_key.1.clone(),
            });
        }
        // `<person>#main-key`, or a standalone key document `<actor>/main-key`.
        let r = self
            .urls
            .key_owner(key_id)
            .ok_or_else(|| Error::Signature(format!("no local key {key_id}")))?;
        let doc = self.registry.document(&r).await.map_err(|e| match e {
            actors::ActorError::NotFound(_) => Error::Signature(format!("no local key {key_id}")),
            other => other.into(),
        })?;
        let pem = doc
            .key_pem_for(key_id)
            .ok_or_else(|| Error::Signature(format!("no local key {key_id}")))?;
        Ok(ResolvedKey {
            owner: doc.id.clone(),
            key: Arc::new(VerifyingKey::from_pem(pem)?),
        })
    }

    async fn remote(&self, key_id: &Url, refresh: bool) -> Result<ResolvedKey> {
        let cache_key = layout::key(KEY_CACHE, key_id.as_str().as_bytes());
        if !refresh {
            if let Some(bytes) = self.store.instance().get(&cache_key)? {
                if let Ok(cached) = codec::decode::<CachedKey>(&bytes) {
                    if let (Ok(owner), Ok(key)) = (
                        Url::parse(&cached.owner),
                        VerifyingKey::from_pem(&cached.pem),
                    ) {
                        return Ok(ResolvedKey {
                            owner,
                            key: Arc::new(key),
                        });
                    }
                }
            }
        }
        let fetched = self.fetcher.fetch_key(key_id).await.map_err(|e| match e {
            Error::Signature(m) => Error::Signature(m),
            other => Error::Signature(format!("cannot fetch key {key_id}: {other}")),
        })?;
        let key = VerifyingKey::from_pem(&fetched.public_key_pem)?;
        let cached = CachedKey {
            owner: fetched.owner.to_string(),
            pem: fetched.public_key_pem.clone(),
            fetched: actors::base::clock::now_rfc3339(),
        };
        self.store
            .instance()
            .insert(cache_key, codec::encode(&cached)?)?;
        tracing::debug!(%key_id, owner = %fetched.owner, "fetched remote key");
        Ok(ResolvedKey {
            owner: fetched.owner,
            key: Arc::new(key),
        })
    }
}
