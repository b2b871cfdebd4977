//! Remote actors as delivery needs them: their inbox and shared inbox, fetched once and cached
//! in the instance tree (`remote 0xFF <actor iri>` -> JSON `RemoteActor`) for a day.

use super::fetch::Fetcher;
use crate::error::{Error, Result};
use actors::store::{self, Store};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use url::Url;

/// Instance tree: `remote 0xFF <actor iri>` -> JSON `RemoteActor`.
pub const REMOTE: &str = "remote";

/// How long a cached remote actor is trusted before it is fetched again.
const TTL_MS: u64 = 24 * 3600 * 1000;

/// What delivery needs to know about a remote actor.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RemoteActor {
    pub inbox: String,
    #[serde(default)]
    pub shared_inbox: Option<String>,
    pub fetched_ms: u64,
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Resolves remote actors. Cheap to clone.
#[derive(Clone)]
pub struct RemoteActors {
    store: Store,
    fetcher: Arc<Fetcher>,
}

impl RemoteActors {
    pub fn new(store: Store, fetcher: Arc<Fetcher>) -> RemoteActors {
        RemoteActors { store, fetcher }
    }

    /// The actor's inbox and shared inbox, from the cache or fetched. `Error::NotFound` when
    /// the document is not an actor (e.g. a remote collection): never worth retrying.
    pub async fn get(&self, iri: &Url) -> Result<RemoteActor> {
        let key = store::key(REMOTE, iri.as_str().as_bytes());
        if let Some(bytes) = self
            .store
            .instance()
            .get(&key)
            .map_err(actors::ActorError::from)?
        {
            if let Ok(cached) = store::decode::<RemoteActor>(&bytes) {
                if now_ms().saturating_sub(cached.fetched_ms) < TTL_MS {
                    return Ok(cached);
                }
            }
        }
        let doc = self.fetcher.fetch_json(iri).await?;
        if doc.get("inbox").is_none() {
            return Err(Error::NotFound(format!(
                "{iri} is not an actor (no inbox): nothing to deliver to"
            )));
        }
        let actor: schema::Actor = serde_json::from_value(doc)
            .map_err(|e| Error::Remote(format!("{iri} is not an actor: {e}")))?;
        let remote = RemoteActor {
            inbox: actor.inbox.to_string(),
            shared_inbox: actor.shared_inbox().map(|u| u.to_string()),
            fetched_ms: now_ms(),
        };
        self.store
            .instance()
            .insert(key, store::encode(&remote)?)
            .map_err(actors::ActorError::from)?;
        Ok(remote)
    }
}
