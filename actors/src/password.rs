//! Password hashing: the argon2id parameters (memory bounded: [`MEMORY_KIB`] per hash), hashing
//! a new password, and verifying one. Verifying for an account that does not exist hashes
//! against a dummy hash with the same parameters, so an unknown username costs the same time as
//! a wrong password. Every call is blocking (run it on a blocking thread); [`Hasher::count`]
//! tells how many hashes were computed.

use crate::error::{ActorError, Result};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

/// Memory of one argon2 hash, in KiB (19 MiB: OWASP's argon2id minimum). A hash allocates this
/// much while it runs, so the peak is this times the number of hashes running at once.
pub const MEMORY_KIB: u32 = 19 * 1024;
/// argon2 passes over the memory.
pub const ITERATIONS: u32 = 2;
/// argon2 lanes (one thread per hash).
pub const PARALLELISM: u32 = 1;

/// The hasher. Cheap to clone; clones share the dummy hash and the counter.
#[derive(Clone, Default)]
pub struct Hasher {
    dummy: Arc<OnceLock<String>>,
    count: Arc<AtomicU64>,
}

fn argon2() -> Result<Argon2<'static>> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .map_err(|e| ActorError::Crypto(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

impl Hasher {
    pub fn new() -> Hasher {
        Hasher::default()
    }

    /// How many hashes this hasher computed (new passwords and verifications).
    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    /// The PHC string of a new argon2id hash of `password`, with a random salt. Blocking.
    pub fn hash(&self, password: &str) -> Result<String> {
        self.count.fetch_add(1, Ordering::Relaxed);
        let salt = SaltString::generate(&mut OsRng);
        Ok(argon2()?
            .hash_password(password.as_bytes(), &salt)
            .map_err(|e| ActorError::Crypto(e.to_string()))?
            .to_string())
    }

    /// Whether `password` matches the stored PHC string; with `None` (no such account) a
    /// dummy hash is verified instead and the answer is false. Blocking.
    pub fn verify(&self, stored: Option<&str>, password: &str) -> bool {
        let phc = match stored {
            Some(s) => s.to_string(),
            None => match self.dummy() {
                Some(d) => d,
                None => return false,
            },
        };
        self.count.fetch_add(1, Ordering::Relaxed);
        let matches = match (PasswordHash::new(&phc), argon2()) {
            (Ok(h), Ok(a)) => a.verify_password(password.as_bytes(), &h).is_ok(),
            _ => false,
        };
        matches && stored.is_some()
    }

    /// A hash of a random password, made once with the current parameters.
    fn dummy(&self) -> Option<String> {
        if let Some(d) = self.dummy.get() {
            return Some(d.clone());
        }
        let mut raw = [0u8; 16];
        rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut raw);
        let salt = SaltString::generate(&mut OsRng);
        let made = argon2().ok()?.hash_password(&raw, &salt).ok()?.to_string();
        Some(self.dummy.get_or_init(|| made).clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_have_the_documented_parameters_and_verify() {
        let h = Hasher::new();
        let phc = h.hash("correct horse").unwrap();
        assert!(
            phc.starts_with(&format!(
                "$argon2id$v=19$m={MEMORY_KIB},t={ITERATIONS},p=1$"
            )),
            "{phc}"
        );
        assert!(h.verify(Some(&phc), "correct horse"));
        assert!(!h.verify(Some(&phc), "wrong"));
        assert_eq!(h.count(), 3);
    }

    #[test]
    fn an_unknown_account_costs_one_hash_like_a_wrong_password() {
        let h = Hasher::new();
        let phc = h.hash("pw").unwrap();
        let before = h.count();
        assert!(!h.verify(None, "pw"));
        assert_eq!(h.count(), before + 1, "the dummy hash was verified");
        assert!(!h.verify(Some(&phc), "nope"));
        assert_eq!(h.count(), before + 2);
        // The dummy has the same parameters as a real hash, so the work is the same.
        let dummy = h.dummy().unwrap();
        assert_eq!(
            PasswordHash::new(&dummy).unwrap().params,
            PasswordHash::new(&phc).unwrap().params
        );
    }
}
