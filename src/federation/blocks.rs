//! Moderation: blocked remote hosts and actors. Hosts come from `[federation] blocked_hosts`
//! and from the admin API; actors from the admin API. Activities from a blocked host or actor
//! are refused (403), nothing is delivered to a blocked host, nothing is fetched from it.
//!
//! Instance tree: `block 0xFF host:<host>` and `block 0xFF actor:<iri>` -> JSON `BlockRecord`.

use crate::error::Result;
use actors::store::{self, Store};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use url::Url;

/// `block 0xFF <host:... | actor:...>`
pub const BLOCK: &str = "block";

/// Who blocked what, when.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BlockRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    pub by: String,
    pub since: String,
}

/// The blocklist. Cheap to clone.
#[derive(Clone)]
pub struct Blocks {
    store: Store,
    configured: Arc<Vec<String>>,
}

fn host_key(host: &str) -> Vec<u8> {
    store::key(
        BLOCK,
        format!("host:{}", host.to_ascii_lowercase()).as_bytes(),
    )
}

fn actor_key(actor: &str) -> Vec<u8> {
    store::key(BLOCK, format!("actor:{actor}").as_bytes())
}

impl Blocks {
    pub fn new(store: Store, configured: Vec<String>) -> Blocks {
        Blocks {
            store,
            configured: Arc::new(
                configured
                    .into_iter()
                    .map(|h| h.to_ascii_lowercase())
                    .collect(),
            ),
        }
    }

    /// True when `host` or one of its parent domains is blocked.
    pub fn host_blocked(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        let mut candidate: &str = &host;
        loop {
            if self.configured.iter().any(|h| h == candidate)
                || self
                    .store
                    .instance()
                    .contains_key(host_key(candidate))
                    .unwrap_or(false)
            {
                return true;
            }
            match candidate.split_once('.') {
                Some((_, parent)) if parent.contains('.') => candidate = parent,
                _ => return false,
            }
        }
    }

    /// True when the IRI's host or the actor itself is blocked.
    pub fn blocked(&self, iri: &Url) -> bool {
        iri.host_str().is_some_and(|h| self.host_blocked(h))
            || self
                .store
                .instance()
                .contains_key(actor_key(iri.as_str()))
                .unwrap_or(false)
    }

    /// Blocks a host or an actor.
    pub fn add(&self, record: &BlockRecord) -> Result<()> {
        let key = match (&record.host, &record.actor) {
            (Some(h), _) => host_key(h),
            (None, Some(a)) => actor_key(a),
            (None, None) => return Ok(()),
        };
        self.store
            .instance()
            .insert(key, store::encode(record)?)
            .map_err(actors::ActorError::from)?;
        Ok(())
    }

    /// Unblocks; answers whether something was blocked.
    pub fn remove(&self, host: Option<&str>, actor: Option<&str>) -> Result<bool> {
        let key = match (host, actor) {
            (Some(h), _) => host_key(h),
            (None, Some(a)) => actor_key(a),
            (None, None) => return Ok(false),
        };
        Ok(self
            .store
            .instance()
            .remove(key)
            .map_err(actors::ActorError::from)?
            .is_some())
    }

    /// Every block made through the API, and the configured hosts.
    pub fn list(&self) -> Result<Vec<BlockRecord>> {
        let mut out: Vec<BlockRecord> = self
            .configured
            .iter()
            .map(|h| BlockRecord {
                host: Some(h.clone()),
                actor: None,
                by: "settings.toml".into(),
                since: String::new(),
            })
            .collect();
        for entry in self.store.instance().scan_prefix(store::prefix(BLOCK)) {
            let (_, v) = entry.map_err(actors::ActorError::from)?;
            out.push(store::decode(&v)?);
        }
        Ok(out)
    }
}
