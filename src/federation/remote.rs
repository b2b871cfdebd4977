//! Remote actors as delivery needs them: their inbox and shared inbox, fetched once and cached
//! in the instance tree (`remote 0xFF <actor iri>` -> JSON `RemoteActor`) for a day. Failed
//! fetches are remembered for a while (`failures`), and routing one activity fetches at most a
//! bounded number of actor documents, in total and per host (`Budget`).

use super::failures::{Failure, FailureCache};
use super::fetch::Fetcher;
use crate::error::{Error, Result};
use actors::base::clock::now_ms;
use actors::storage::codec;
use actors::storage::layout::{self, REMOTE};
use actors::storage::store::Store;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;
use url::Url;

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

/// How many actor documents routing one activity may still fetch: in total
/// (`[federation] max_recipients_per_activity`) and per host
/// (`[federation] max_fetches_per_host_per_activity`).
pub struct Budget {
    total: usize,
    per_host: usize,
    used: HashMap<String, usize>,
    /// Recipients left unresolved because the budget was spent.
    pub skipped: usize,
}

impl Budget {
    pub fn new(total: usize, per_host: usize) -> Budget {
        Budget {
            total,
            per_host,
            used: HashMap::new(),
            skipped: 0,
        }
    }

    /// Takes one fetch for `host`, if any is left.
    fn take(&mut self, host: &str) -> bool {
        let used = self.used.get(host).copied().unwrap_or(0);
        if self.total == 0 || used >= self.per_host {
            self.skipped += 1;
            return false;
        }
        self.total -= 1;
        self.used.insert(host.to_string(), used + 1);
        true
    }
}

/// What resolving one recipient within a budget came to.
pub enum Resolved {
    Actor(RemoteActor),
    /// Not an actor, or does not exist: nothing to deliver to.
    Gone(String),
    /// Not reachable now (or remembered as unreachable): the delivery job resolves it later.
    Unreachable(String),
    /// Not fetched: the activity's budget is spent.
    OverBudget,
}

/// Resolves remote actors. Cheap to clone.
#[derive(Clone)]
pub struct RemoteActors {
    store: Store,
    fetcher: Arc<Fetcher>,
    failures: Arc<FailureCache>,
}

impl RemoteActors {
    /// `failure_ttl`: how long a failed fetch is remembered (`[federation] fetch_failure_ttl_secs`).
    pub fn new(
        store: Store,
        fetcher: Arc<Fetcher>,
        failure_ttl: std::time::Duration,
    ) -> RemoteActors {
        RemoteActors {
            store,
            fetcher,
            failures: Arc::new(FailureCache::new(failure_ttl)),
        }
    }

    /// The cached entry of `iri` and whether it is still fresh.
    fn cached(&self, key: &[u8]) -> Result<Option<(RemoteActor, bool)>> {
        let stored = self.store.instance().get(key)?;
        Ok(stored
            .and_then(|bytes| codec::decode::<RemoteActor>(&bytes).ok())
            .map(|c| {
                let fresh = now_ms().saturating_sub(c.fetched_ms) < TTL_MS;
                (c, fresh)
            }))
    }

    /// The actor's inbox and shared inbox, from the cache or fetched (unless a recent failure
    /// is remembered). `Error::NotFound` when the actor does not exist or the document is not
    /// an actor (e.g. a remote collection): never worth retrying.
    pub async fn get(&self, iri: &Url) -> Result<RemoteActor> {
        match self.resolve(iri, None).await? {
            Resolved::Actor(a) => Ok(a),
            Resolved::Gone(why) => Err(Error::NotFound(why)),
            Resolved::Unreachable(why) => Err(Error::Remote(why)),
            Resolved::OverBudget => Err(Error::Remote(format!("{iri} not resolved yet"))),
        }
    }

    /// Like `get`, fetching only while `budget` allows; past it, a stale cached entry is used
    /// if there is one.
    pub async fn get_within(&self, iri: &Url, budget: &mut Budget) -> Result<Resolved> {
        self.resolve(iri, Some(budget)).await
    }

    async fn resolve(&self, iri: &Url, budget: Option<&mut Budget>) -> Result<Resolved> {
        let key = layout::key(REMOTE, iri.as_str().as_bytes());
        let cached = self.cached(&key)?;
        let stale = match cached {
            Some((c, true)) => return Ok(Resolved::Actor(c)),
            Some((c, false)) => Some(c),
            None => None,
        };
        let host = iri.host_str().unwrap_or_default().to_string();
        let server = server_of(iri);
        let remembered = self.failures.check(iri.as_str(), &server);
        let allowed = remembered.is_none() && budget.is_none_or(|b| b.take(&host));
        if !allowed {
            return Ok(match (stale, remembered) {
                (Some(c), _) => Resolved::Actor(c),
                (None, Some(Failure::Gone(why))) => Resolved::Gone(why),
                (None, Some(Failure::Unreachable(why))) => Resolved::Unreachable(why),
                (None, None) => Resolved::OverBudget,
            });
        }
        match self.fetch(iri).await {
            Ok(remote) => {
                self.failures.succeeded(iri.as_str(), &server);
                self.store.instance().insert(key, codec::encode(&remote)?)?;
                Ok(Resolved::Actor(remote))
            }
            Err(failure) => {
                self.failures.failed(iri.as_str(), &server, failure.clone());
                Ok(match (stale, failure) {
                    (Some(c), Failure::Unreachable(_)) => Resolved::Actor(c),
                    (_, Failure::Gone(why)) => Resolved::Gone(why),
                    (_, Failure::Unreachable(why)) => Resolved::Unreachable(why),
                })
            }
        }
    }

    /// One fetch of the actor document.
    async fn fetch(&self, iri: &Url) -> std::result::Result<RemoteActor, Failure> {
        let doc = match self.fetcher.fetch_json(iri).await {
            Ok(doc) => doc,
            Err(e) => {
                let text = e.to_string();
                // 404 and 410: the host answered, the actor does not exist.
                let gone = text.ends_with("HTTP 404 Not Found") || text.ends_with("HTTP 410 Gone");
                return Err(match (gone, e) {
                    (true, _) | (_, Error::Forbidden(_)) => Failure::Gone(text),
                    _ => Failure::Unreachable(text),
                });
            }
        };
        if doc.get("inbox").is_none() {
            return Err(Failure::Gone(format!(
                "{iri} is not an actor (no inbox): nothing to deliver to"
            )));
        }
        let actor: schema::Actor = serde_json::from_value(doc)
            .map_err(|e| Failure::Unreachable(format!("{iri} is not an actor: {e}")))?;
        Ok(RemoteActor {
            inbox: actor.inbox.to_string(),
            shared_inbox: actor.shared_inbox().map(|u| u.to_string()),
            fetched_ms: now_ms(),
        })
    }
}

/// The key host failures are counted under: host *and port*, so a dead port of a host (which
/// anyone can name in an activity) does not pause federation with the real server there.
fn server_of(iri: &Url) -> String {
    let host = iri.host_str().unwrap_or_default().to_ascii_lowercase();
    format!("{host}:{}", iri.port_or_known_default().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::{server_of, Budget};
    use url::Url;

    #[test]
    fn failures_are_counted_per_host_and_port() {
        let at = |s: &str| server_of(&Url::parse(s).unwrap());
        assert_ne!(
            at("https://victim.example:1/a"),
            at("https://victim.example/a")
        );
        assert_eq!(
            at("https://victim.example:443/a"),
            at("https://Victim.example/b")
        );
    }

    #[test]
    fn the_budget_bounds_fetches_in_total_and_per_host() {
        let mut b = Budget::new(5, 3);
        let taken: Vec<bool> = ["a", "a", "a", "a", "b", "b", "c", "c"]
            .iter()
            .map(|h| b.take(h))
            .collect();
        assert_eq!(
            taken,
            [true, true, true, false, true, true, false, false],
            "3 per host, 5 in all"
        );
        assert_eq!(b.skipped, 3);
    }
}
