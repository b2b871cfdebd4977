//! The negative cache of remote-actor resolution: actors whose document could not be fetched,
//! and hosts that failed several fetches in a row, remembered (in memory) for a while so the same
//! dead actor or host is not fetched again and again. Bounded in size.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed fetches in a row after which a whole host is treated as down.
pub const HOST_FAILURES_TO_PAUSE: u32 = 5;
/// Most entries kept (actors and hosts together); expired ones are dropped first.
const MAX_ENTRIES: usize = 100_000;

/// Why a remote actor could not be resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// It does not exist or is not an actor (404, 410, no inbox): not worth retrying.
    Gone(String),
    /// It could not be reached (network error, 5xx, bad document): retried after the TTL.
    Unreachable(String),
}

#[derive(Default)]
struct Entries {
    actors: HashMap<String, (Instant, Failure)>,
    /// Per host: failures in a row, and until when it counts as down.
    hosts: HashMap<String, (u32, Option<Instant>)>,
}

/// Failures remembered for `ttl`. Cheap to share behind an `Arc`.
pub struct FailureCache {
    ttl: Duration,
    entries: Mutex<Entries>,
}

impl FailureCache {
    pub fn new(ttl: Duration) -> FailureCache {
        FailureCache {
            ttl,
            entries: Mutex::new(Entries::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        match self.entries.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    /// The remembered failure of `iri` on `host`, if it has not expired: the actor's own, or
    /// the host's when the host is down.
    pub fn check(&self, iri: &str, host: &str) -> Option<Failure> {
        let now = Instant::now();
        let e = self.lock();
        if let Some((until, f)) = e.actors.get(iri) {
            if *until > now {
                return Some(f.clone());
            }
        }
        match e.hosts.get(host) {
            Some((_, Some(until))) if *until > now => Some(Failure::Unreachable(format!(
                "{host} failed {HOST_FAILURES_TO_PAUSE} fetches in a row; not contacted for a while"
            ))),
            _ => None,
        }
    }

    /// Remembers a failed fetch of `iri` on `host`.
    pub fn failed(&self, iri: &str, host: &str, failure: Failure) {
        let now = Instant::now();
        let until = now + self.ttl;
        let mut e = self.lock();
        if e.actors.len() + e.hosts.len() >= MAX_ENTRIES {
            e.actors.retain(|_, (t, _)| *t > now);
            e.hosts.retain(|_, (_, t)| t.is_some_and(|t| t > now));
            if e.actors.len() >= MAX_ENTRIES / 2 {
                e.actors.clear();
            }
        }
        if matches!(failure, Failure::Unreachable(_)) {
            let h = e.hosts.entry(host.to_string()).or_insert((0, None));
            h.0 += 1;
            if h.0 >= HOST_FAILURES_TO_PAUSE {
                *h = (0, Some(until));
            }
        }
        e.actors.insert(iri.to_string(), (until, failure));
    }

    /// Forgets the failures of `iri` and its host (a fetch succeeded).
    pub fn succeeded(&self, iri: &str, host: &str) {
        let mut e = self.lock();
        e.actors.remove(iri);
        e.hosts.remove(host);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_remembered_until_the_ttl_and_hosts_pause_after_a_run() {
        let cache = FailureCache::new(Duration::from_millis(200));
        let gone = Failure::Gone("404".into());
        cache.failed("https://a/u/1", "a", gone.clone());
        assert_eq!(cache.check("https://a/u/1", "a"), Some(gone));
        assert_eq!(
            cache.check("https://a/u/2", "a"),
            None,
            "404s do not pause a host"
        );
        for i in 0..HOST_FAILURES_TO_PAUSE {
            assert_eq!(cache.check(&format!("https://b/u/{i}x"), "b"), None);
            cache.failed(
                &format!("https://b/u/{i}"),
                "b",
                Failure::Unreachable("503".into()),
            );
        }
        assert!(matches!(
            cache.check("https://b/u/other", "b"),
            Some(Failure::Unreachable(_))
        ));
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(cache.check("https://a/u/1", "a"), None, "expired");
        assert_eq!(cache.check("https://b/u/other", "b"), None, "expired");
        cache.failed("https://c/u/1", "c", Failure::Unreachable("x".into()));
        cache.succeeded("https://c/u/1", "c");
        assert_eq!(cache.check("https://c/u/1", "c"), None);
    }
}
