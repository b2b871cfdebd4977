//! The budget of authenticated SSH connections: `AUTHENTICATED` in all and
//! `[ssh] max_sessions_per_user` for one person (local or remote, by IRI), taken when the key
//! is accepted and held until the connection ends. So one account holder cannot take every
//! authenticated slot.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Authenticated connections served at once.
pub const AUTHENTICATED: usize = crate::settings::MAX_AUTHENTICATED_SESSIONS;

/// The authenticated slots, in all and per person.
#[derive(Clone)]
pub struct Sessions {
    all: Arc<Semaphore>,
    per_user: Arc<Mutex<HashMap<String, usize>>>,
    max_per_user: usize,
}

/// One authenticated connection of `user`, counted until dropped.
pub struct Slot {
    _permit: OwnedSemaphorePermit,
    per_user: Arc<Mutex<HashMap<String, usize>>>,
    user: String,
}

/// Why an authenticated connection was not given a slot.
#[derive(Debug, PartialEq, Eq)]
pub enum Full {
    /// All `AUTHENTICATED` slots are taken.
    All,
    /// This person already holds `max_sessions_per_user` connections.
    User,
}

impl Full {
    /// What the client is told when it is disconnected for this.
    pub fn message(&self, max_per_user: usize) -> String {
        match self {
            Full::All => "too many SSH connections; retry later".to_string(),
            Full::User => format!(
                "too many SSH connections for this account (at most {max_per_user}, \
                 [ssh] max_sessions_per_user); close some and retry"
            ),
        }
    }
}

impl Sessions {
    pub fn new(max_per_user: usize) -> Sessions {
        Sessions {
            all: Arc::new(Semaphore::new(AUTHENTICATED)),
            per_user: Arc::default(),
            max_per_user,
        }
    }

    /// A slot for a connection of `user`, or which budget is full.
    pub fn take(&self, user: &str) -> Result<Slot, Full> {
        let mut per_user = lock(&self.per_user);
        let held = per_user.get(user).copied().unwrap_or(0);
        if held >= self.max_per_user {
            return Err(Full::User);
        }
        let permit = self
            .all
            .clone()
            .try_acquire_owned()
            .map_err(|_| Full::All)?;
        per_user.insert(user.to_string(), held + 1);
        Ok(Slot {
            _permit: permit,
            per_user: self.per_user.clone(),
            user: user.to_string(),
        })
    }
}

/// The counts survive a panic elsewhere: each change is made whole under the lock.
fn lock(map: &Mutex<HashMap<String, usize>>) -> std::sync::MutexGuard<'_, HashMap<String, usize>> {
    map.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut per_user = lock(&self.per_user);
        if let Some(n) = per_user.get_mut(&self.user) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                per_user.remove(&self.user);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_holds_at_most_max_per_user_and_others_still_get_slots() {
        let s = Sessions::new(2);
        let a1 = s.take("https://a/users/alice").unwrap();
        let _a2 = s.take("https://a/users/alice").unwrap();
        assert_eq!(s.take("https://a/users/alice").err(), Some(Full::User));
        let _b = s.take("https://a/users/bob").unwrap();
        drop(a1);
        let _a3 = s.take("https://a/users/alice").unwrap();
        assert_eq!(s.take("https://a/users/alice").err(), Some(Full::User));
    }

    #[test]
    fn all_slots_are_shared_by_everyone() {
        let s = Sessions::new(1);
        let slots: Vec<_> = (0..AUTHENTICATED)
            .map(|i| s.take(&format!("user{i}")).unwrap())
            .collect();
        assert_eq!(s.take("late").err(), Some(Full::All));
        drop(slots);
        assert!(lock(&s.per_user).is_empty());
        assert!(s.take("late").is_ok());
    }
}
