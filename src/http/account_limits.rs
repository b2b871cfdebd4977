//! Limits on the account API: token buckets of failed logins per client address and per
//! username, of registrations per client address (`[accounts] login_attempts_per_minute_*`,
//! `registrations_per_hour_per_address`), and the cap on password hashes running at once
//! (`password_hash_concurrency`, with at most `password_hash_queue` requests waiting).

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
