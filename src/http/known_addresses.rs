//! The client addresses that logged in successfully as each username recently (kept in memory
//! for `[accounts] login_known_address_days`): such an address skips the username's
//! all-addresses login limit, so guessing from elsewhere cannot lock its owner out. Bounded:
//! past [`MAX_PAIRS`] pairs, expired ones go first, then the oldest.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most (username, address) pairs remembered.
pub const MAX_PAIRS: usize = 50_000;

/// (username, address) -> when it last logged in.
pub struct KnownAddresses {
    ttl: Duration,
    map: Mutex<HashMap<(String, String), Instant>>,
}

impl KnownAddresses {
    /// Pairs are remembered for `ttl`; zero: never.
    pub fn new(ttl: Duration) -> KnownAddresses {
        KnownAddresses {
            ttl,
            map: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `addr` logged in as `username` within the last `ttl`.
    pub fn contains(&self, username: &str, addr: &str) -> bool {
        let map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&(username.to_string(), addr.to_string()))
            .is_some_and(|at| at.elapsed() < self.ttl)
    }

    /// Remembers that `addr` logged in as `username` now.
    pub fn remember(&self, username: &str, addr: &str) {
        if self.ttl.is_zero() {
            return;
        }
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_PAIRS {
            let ttl = self.ttl;
            map.retain(|_, at| at.elapsed() < ttl);
        }
        if map.len() >= MAX_PAIRS {
            let mut times: Vec<Instant> = map.values().copied().collect();
            times.sort_unstable();
            let cut = times[times.len() / 8];
            map.retain(|_, at| *at > cut);
        }
        map.insert((username.to_string(), addr.to_string()), Instant::now());
    }

    /// How many pairs are remembered.
    pub fn len(&self) -> usize {
        self.map.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_remembered_per_username_and_bounded() {
        let k = KnownAddresses::new(Duration::from_secs(3600));
        k.remember("alice", "10.0.0.1");
        assert!(k.contains("alice", "10.0.0.1"));
        assert!(!k.contains("alice", "10.0.0.2"));
        assert!(!k.contains("bob", "10.0.0.1"));
        for n in 0..MAX_PAIRS + 10 {
            k.remember("bob", &n.to_string());
        }
        assert!(k.len() <= MAX_PAIRS);
        assert!(
            k.contains("bob", &(MAX_PAIRS + 9).to_string()),
            "the newest stays"
        );
        assert!(!k.contains("alice", "10.0.0.1"), "the oldest went first");
        let off = KnownAddresses::new(Duration::ZERO);
        off.remember("alice", "10.0.0.1");
        assert!(!off.contains("alice", "10.0.0.1") && off.is_empty());
    }
}
