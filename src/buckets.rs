//! Token buckets by key, for every per-client and per-host rate limit (logins, registrations,
//! inbox POSTs): each key refills at a steady rate up to a burst; the table is bounded (full
//! buckets are forgotten first), so a flood of new keys costs bounded memory.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most keys a bucket table tracks; past it, full buckets are dropped (and if that is not
/// enough, the table is cleared: memory stays bounded).
const MAX_KEYS: usize = 50_000;

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Token buckets by key: `count` per `window`, bursts up to `count` (or `burst`). `count` = 0:
/// no limit.
pub struct Buckets {
    capacity: f64,
    per_second: f64,
    map: Mutex<HashMap<String, Bucket>>,
}

impl Buckets {
    pub fn new(count: u32, window: Duration) -> Buckets {
        Buckets::with_burst(count, window, count)
    }

    /// `count` per `window`, bursts up to `burst` (at least 1 while `count` > 0).
    pub fn with_burst(count: u32, window: Duration, burst: u32) -> Buckets {
        let capacity = if count == 0 {
            0.0
        } else {
            f64::from(burst.max(1))
        };
        Buckets {
            capacity,
            per_second: f64::from(count) / window.as_secs_f64().max(1.0),
            map: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `key`; `Err(wait)` when there is none.
    pub fn take(&self, key: &str) -> Result<(), Duration> {
        if self.capacity <= 0.0 {
            return Ok(());
        }
        let now = Instant::now();
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_KEYS {
            let (rate, cap) = (self.per_second, self.capacity);
            map.retain(|_, b| b.tokens + now.duration_since(b.at).as_secs_f64() * rate < cap);
            if map.len() >= MAX_KEYS {
                evict_least_spent(&mut map, now, rate);
            }
        }
        let b = map.entry(key.to_string()).or_insert(Bucket {
            tokens: self.capacity,
            at: now,
        });
        b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * self.per_second)
            .min(self.capacity);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - b.tokens) / self.per_second))
        }
    }

    /// Gives back a token taken for `key` (the attempt turned out not to count).
    pub fn give_back(&self, key: &str) {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(b) = map.get_mut(key) {
            b.tokens = (b.tokens + 1.0).min(self.capacity);
        }
    }
}

/// Forgets the half of the buckets that have the most tokens left: the keys that spent least
/// (a flood of fresh keys, one attempt each), never the ones being limited now (a username
/// under attack keeps its empty bucket).
fn evict_least_spent(map: &mut HashMap<String, Bucket>, now: Instant, rate: f64) {
    let left = |b: &Bucket| b.tokens + now.duration_since(b.at).as_secs_f64() * rate;
    let mut levels: Vec<f64> = map.values().map(left).collect();
    let middle = levels.len() / 2;
    levels.select_nth_unstable_by(middle, |a, b| a.total_cmp(b));
    let threshold = levels[middle];
    map.retain(|_, b| left(b) < threshold);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_limit_then_refill_and_give_back() {
        let b = Buckets::new(3, Duration::from_secs(1));
        for _ in 0..3 {
            assert!(b.take("x").is_ok());
        }
        let wait = b.take("x").unwrap_err();
        assert!(wait <= Duration::from_millis(340), "{wait:?}");
        assert!(b.take("y").is_ok(), "keys are independent");
        b.give_back("x");
        assert!(b.take("x").is_ok());
        std::thread::sleep(Duration::from_millis(400));
        assert!(b.take("x").is_ok());
        assert!(Buckets::new(0, Duration::from_secs(1)).take("x").is_ok());
    }

    #[test]
    fn a_flood_of_fresh_keys_does_not_reset_a_spent_bucket() {
        let b = Buckets::new(3, Duration::from_secs(3600));
        for _ in 0..3 {
            assert!(b.take("victim").is_ok());
        }
        for n in 0..(MAX_KEYS + 10) {
            let _ = b.take(&format!("fresh{n}"));
        }
        assert!(
            b.take("victim").is_err(),
            "the victim's bucket is still spent"
        );
        assert!(
            b.map.lock().unwrap().len() <= MAX_KEYS,
            "the table stays bounded"
        );
    }

    #[test]
    fn a_burst_smaller_than_the_rate() {
        let b = Buckets::with_burst(600, Duration::from_secs(60), 2);
        assert!(b.take("x").is_ok() && b.take("x").is_ok());
        assert!(b.take("x").is_err());
    }
}
