//! Limits on the account API: token buckets of failed logins per client address and per
//! username, of registrations per client address (`[accounts] login_attempts_per_minute_*`,
//! `registrations_per_hour_per_address`), and the cap on password hashes running at once
//! (`password_hash_concurrency`, with at most `password_hash_queue` requests waiting).

use crate::error::Error;
use crate::settings::AccountSettings;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Most keys a bucket table tracks; past it, full buckets are dropped (and if that is not
/// enough, the table is cleared: memory stays bounded).
const MAX_KEYS: usize = 50_000;

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Token buckets by key: `count` per `window`, bursts up to `count`. `count` = 0: no limit.
pub struct Buckets {
    capacity: f64,
    per_second: f64,
    map: Mutex<HashMap<String, Bucket>>,
}

impl Buckets {
    pub fn new(count: u32, window: Duration) -> Buckets {
        Buckets {
            capacity: f64::from(count),
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
                map.clear();
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

/// The 429 for a bucket that is empty.
pub fn limited(who: String, wait: Duration) -> Error {
    Error::RateLimited {
        host: who,
        retry_after: wait.as_secs().max(1),
    }
}

/// The key of a client address: the address, or its /64 for IPv6.
pub fn address_key(ip: Option<IpAddr>) -> String {
    match ip {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        None => "unknown".into(),
    }
}

/// Everything the account routes limit.
pub struct AccountLimits {
    pub login_by_address: Buckets,
    pub login_by_username: Buckets,
    pub register_by_address: Buckets,
    hashes: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    max_waiting: usize,
}

/// Counts a request waiting for a hash slot while it lives.
struct Waiting(Arc<AtomicUsize>);

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl AccountLimits {
    pub fn new(s: &AccountSettings) -> AccountLimits {
        let minute = Duration::from_secs(60);
        AccountLimits {
            login_by_address: Buckets::new(s.login_attempts_per_minute_per_address, minute),
            login_by_username: Buckets::new(s.login_attempts_per_minute_per_username, minute),
            register_by_address: Buckets::new(
                s.registrations_per_hour_per_address,
                Duration::from_secs(3600),
            ),
            hashes: Arc::new(Semaphore::new(s.password_hash_concurrency.max(1))),
            waiting: Arc::new(AtomicUsize::new(0)),
            max_waiting: s.password_hash_queue,
        }
    }

    /// A slot to compute one password hash in; waits when all are busy, 429 when
    /// `password_hash_queue` requests already wait. Move it into the hashing thread.
    pub async fn hash_slot(&self) -> Result<OwnedSemaphorePermit, Error> {
        if let Ok(p) = self.hashes.clone().try_acquire_owned() {
            return Ok(p);
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(limited(
                "all clients (every password-hash slot is busy)".into(),
                Duration::from_secs(1),
            ));
        }
        let _waiting = Waiting(self.waiting.clone());
        self.hashes
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Error::Io(std::io::Error::other("the hash semaphore closed")))
    }
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
    fn ipv6_counts_per_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(address_key(Some(a)), address_key(Some(b)));
        assert_eq!(address_key(Some("10.0.0.1".parse().unwrap())), "10.0.0.1");
    }

    #[tokio::test]
    async fn hash_slots_are_bounded_and_so_is_the_queue() {
        let s = AccountSettings {
            password_hash_concurrency: 1,
            password_hash_queue: 1,
            ..Default::default()
        };
        let l = Arc::new(AccountLimits::new(&s));
        let first = l.hash_slot().await.unwrap();
        let l2 = l.clone();
        let waiter = tokio::spawn(async move { l2.hash_slot().await.map(|_| ()) });
        while l.waiting.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        assert!(matches!(
            l.hash_slot().await,
            Err(Error::RateLimited { .. })
        ));
        drop(first);
        assert!(waiter.await.unwrap().is_ok());
        assert_eq!(l.waiting.load(Ordering::SeqCst), 0);
    }
}
