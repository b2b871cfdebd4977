//! Limits on the account API: token buckets of failed logins per client address, per
//! (username, client address) and per username from all addresses (which an address that
//! logged in as that username recently skips, see `known_addresses`), of registrations per
//! client address (`[accounts] login_attempts_per_minute_*`, `login_known_address_days`,
//! `registrations_per_hour_per_address`), and the caps on password hashes running at once:
//! logins and password changes (`password_hash_concurrency`) and registrations
//! (`registration_hash_concurrency`) have separate slots, so sign-ups cannot starve logins;
//! at most `password_hash_queue` requests wait for each.

use super::known_addresses::KnownAddresses;
use crate::buckets::Buckets;
use crate::error::Error;
use crate::settings::AccountSettings;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The 429 for a bucket that is empty.
pub fn limited(who: String, wait: Duration) -> Error {
    Error::RateLimited {
        host: who,
        retry_after: wait.as_secs().max(1),
    }
}

/// Everything the account routes limit.
pub struct AccountLimits {
    pub login_by_address: Buckets,
    /// Keyed by `<username> from <address>`.
    pub login_by_username_address: Buckets,
    /// From all addresses but the known ones.
    pub login_by_username: Buckets,
    pub register_by_address: Buckets,
    /// (username, address) pairs that logged in recently.
    pub known: KnownAddresses,
    logins: HashPool,
    registrations: HashPool,
}

/// A bounded set of hash slots with a bounded queue.
struct HashPool {
    slots: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    max_waiting: usize,
    /// Names the slots in the 429.
    what: &'static str,
}

/// Counts a request waiting for a hash slot while it lives.
struct Waiting(Arc<AtomicUsize>);

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl HashPool {
    fn new(slots: usize, max_waiting: usize, what: &'static str) -> HashPool {
        HashPool {
            slots: Arc::new(Semaphore::new(slots.max(1))),
            waiting: Arc::new(AtomicUsize::new(0)),
            max_waiting,
            what,
        }
    }

    async fn slot(&self) -> Result<OwnedSemaphorePermit, Error> {
        if let Ok(p) = self.slots.clone().try_acquire_owned() {
            return Ok(p);
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(limited(
                format!("all clients (every {} slot is busy)", self.what),
                Duration::from_secs(1),
            ));
        }
        let _waiting = Waiting(self.waiting.clone());
        self.slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Error::Io(std::io::Error::other("the hash semaphore closed")))
    }
}

impl AccountLimits {
    pub fn new(s: &AccountSettings) -> AccountLimits {
        let minute = Duration::from_secs(60);
        AccountLimits {
            login_by_address: Buckets::new(s.login_attempts_per_minute_per_address, minute),
            login_by_username_address: Buckets::new(
                s.login_attempts_per_minute_per_username_per_address,
                minute,
            ),
            login_by_username: Buckets::new(s.login_attempts_per_minute_per_username, minute),
            register_by_address: Buckets::new(
                s.registrations_per_hour_per_address,
                Duration::from_secs(3600),
            ),
            known: KnownAddresses::new(Duration::from_secs(
                s.login_known_address_days.saturating_mul(86_400),
            )),
            logins: HashPool::new(
                s.password_hash_concurrency,
                s.password_hash_queue,
                "password-hash",
            ),
            registrations: HashPool::new(
                s.registration_hash_concurrency,
                s.password_hash_queue,
                "registration",
            ),
        }
    }

    /// A slot to compute one login or password-change hash in; waits when all are busy, 429
    /// when `password_hash_queue` requests already wait. Move it into the hashing thread.
    pub async fn hash_slot(&self) -> Result<OwnedSemaphorePermit, Error> {
        self.logins.slot().await
    }

    /// The same for a registration (its hash and RSA key), from the registrations' own slots.
    pub async fn registration_slot(&self) -> Result<OwnedSemaphorePermit, Error> {
        self.registrations.slot().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        while l.logins.waiting.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        assert!(matches!(
            l.hash_slot().await,
            Err(Error::RateLimited { .. })
        ));
        drop(first);
        assert!(waiter.await.unwrap().is_ok());
        assert_eq!(l.logins.waiting.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn registrations_have_their_own_slots() {
        let s = AccountSettings {
            password_hash_concurrency: 1,
            registration_hash_concurrency: 1,
            password_hash_queue: 0,
            ..Default::default()
        };
        let l = AccountLimits::new(&s);
        let registering = l.registration_slot().await.unwrap();
        assert!(
            l.registration_slot().await.is_err(),
            "one registration at once"
        );
        let login = l.hash_slot().await.expect("a login is not kept out");
        drop((registering, login));
    }
}
