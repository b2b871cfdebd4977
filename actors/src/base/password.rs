//! Password hashing: the argon2id parameters (memory bounded: [`MEMORY_KIB`] per hash), hashing
//! a new password, and verifying one. Verifying for an account that does not exist hashes
//! against a dummy hash with the same parameters, so an unknown username costs the same time as
//! a wrong password. Every call is blocking (run it on a blocking thread); [`Hasher::count`]
//! tells how many hashes were computed.
//!
//! The 19 MiB work areas are allocated once and reused (a pool holds as many as ever ran at
//! once, so with a cap on concurrent hashes their memory is exactly cap x 19 MiB): allocating
//! one per hash on many blocking threads left hundreds of MiB in the allocator's per-thread
//! arenas.

use crate::base::error::{ActorError, Result};
use argon2::password_hash::{
    rand_core::OsRng, Output, ParamsString, PasswordHash, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Memory of one argon2 hash, in KiB (19 MiB: OWASP's argon2id minimum). A hash allocates this
/// much while it runs, so the peak is this times the number of hashes running at once.
pub const MEMORY_KIB: u32 = 19 * 1024;
/// argon2 passes over the memory.
pub const ITERATIONS: u32 = 2;
/// argon2 lanes (one thread per hash).
pub const PARALLELISM: u32 = 1;
/// Bytes of hash output.
const OUTPUT_LEN: usize = 32;

/// The hasher. Cheap to clone; clones share the dummy hash, the work areas and the counter.
#[derive(Clone, Default)]
pub struct Hasher {
    dummy: Arc<OnceLock<String>>,
    count: Arc<AtomicU64>,
    memory: Arc<Mutex<Vec<Vec<Block>>>>,
}

fn params() -> Result<Params> {
    Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, Some(OUTPUT_LEN))
        .map_err(|e| ActorError::Crypto(e.to_string()))
}

fn lock(m: &Mutex<Vec<Vec<Block>>>) -> std::sync::MutexGuard<'_, Vec<Vec<Block>>> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn crypto(e: impl std::fmt::Display) -> ActorError {
    ActorError::Crypto(e.to_string())
}

impl Hasher {
    pub fn new() -> Hasher {
        Hasher::default()
    }

    /// How many hashes this hasher computed (new passwords and verifications).
    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    /// Runs argon2 in a pooled work area of the right size.
    fn run(&self, a: &Argon2<'_>, pwd: &[u8], salt: &[u8], out: &mut [u8]) -> Result<()> {
        let blocks = a.params().block_count();
        let mut area = lock(&self.memory)
            .pop()
            .filter(|m| m.len() == blocks)
            .unwrap_or_else(|| vec![Block::default(); blocks]);
        self.count.fetch_add(1, Ordering::Relaxed);
        let result = a.hash_password_into_with_memory(pwd, salt, out, &mut area);
        if blocks == params()?.block_count() {
            lock(&self.memory).push(area);
        }
        result.map_err(crypto)
    }

    /// The PHC string of a new argon2id hash of `password`, with a random salt. Blocking.
    pub fn hash(&self, password: &str) -> Result<String> {
        let params = params()?;
        let a = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let salt = SaltString::generate(&mut OsRng);
        let mut salt_buf = [0u8; 64];
        let salt_bytes = salt.as_salt().decode_b64(&mut salt_buf).map_err(crypto)?;
        let mut out = [0u8; OUTPUT_LEN];
        self.run(&a, password.as_bytes(), salt_bytes, &mut out)?;
        let phc = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(&params).map_err(crypto)?,
            salt: Some(salt.as_salt()),
            hash: Some(Output::new(&out).map_err(crypto)?),
        };
        Ok(phc.to_string())
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
        let matches = self.verify_phc(&phc, password).unwrap_or(false);
        matches && stored.is_some()
    }

    fn verify_phc(&self, phc: &str, password: &str) -> Result<bool> {
        let h = PasswordHash::new(phc).map_err(crypto)?;
        let stored = Params::try_from(&h).map_err(crypto)?;
        if stored.block_count() != params()?.block_count() {
            // Another memory size (not written by this version): argon2's own allocation.
            self.count.fetch_add(1, Ordering::Relaxed);
            return Ok(Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok());
        }
        let algorithm = Algorithm::try_from(h.algorithm).map_err(crypto)?;
        let version = match h.version {
            Some(v) => Version::try_from(v).map_err(crypto)?,
            None => Version::default(),
        };
        let (Some(salt), Some(expected)) = (h.salt, h.hash) else {
            return Ok(false);
        };
        let mut salt_buf = [0u8; 64];
        let salt_bytes = salt.decode_b64(&mut salt_buf).map_err(crypto)?;
        let mut out = vec![0u8; expected.len()];
        let a = Argon2::new(algorithm, version, stored);
        self.run(&a, password.as_bytes(), salt_bytes, &mut out)?;
        // Output's equality is constant-time.
        Ok(Output::new(&out).map_err(crypto)? == expected)
    }

    /// A hash of a random password, made once with the current parameters.
    fn dummy(&self) -> Option<String> {
        if let Some(d) = self.dummy.get() {
            return Some(d.clone());
        }
        let mut raw = [0u8; 16];
        rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut raw);
        let made = self.hash(&base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            raw,
        ));
        self.count.fetch_sub(1, Ordering::Relaxed);
        Some(
            self.dummy
                .get_or_init(|| made.ok().unwrap_or_default())
                .clone(),
        )
        .filter(|d| !d.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_hashes_of_argon2s_own_encoder_verify() {
        // Hashes written before the pooled work areas (argon2's PasswordHasher, same params).
        let salt = SaltString::generate(&mut OsRng);
        let old = argon2::password_hash::PasswordHasher::hash_password(
            &Argon2::default(),
            b"correct horse",
            &salt,
        )
        .unwrap()
        .to_string();
        let h = Hasher::new();
        assert!(h.verify(Some(&old), "correct horse"));
        assert!(!h.verify(Some(&old), "wrong"));
        let new = h.hash("correct horse").unwrap();
        assert!(Argon2::default()
            .verify_password(b"correct horse", &PasswordHash::new(&new).unwrap())
            .is_ok());
        assert_eq!(h.memory.lock().unwrap().len(), 1, "one work area, reused");
    }

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
