//! Ids this instance derives for what its actors emit while processing a received activity
//! (an Accept, a Factory's Grant to a creator): deterministic, so a re-run after a crash
//! publishes nothing twice, and keyed with a per-instance secret, so nobody else can compute one
//! and claim it first.

use crate::actor::state::ActorCore;
use crate::base::error::{ActorError, Result};
use crate::storage::layout::{self, META};
use crate::storage::store::Store;

/// Key of the secret that keys this instance's derived activity ids (`next_emit_id`):
/// `meta 0xFF id-secret` in the instance tree, beside the instance actor's key.
fn id_secret_key() -> Vec<u8> {
    layout::key(META, b"id-secret")
}

/// The instance's id secret: 32 random bytes, generated on first use and kept in the store
/// (the server creates it at start). Written before anything derived from it, in the same
/// log, so a crash never keeps an id whose secret it lost.
pub fn id_secret(store: &Store) -> Result<Vec<u8>> {
    let tree = store.instance();
    if let Some(v) = tree.get(id_secret_key())? {
        return Ok(v.to_vec());
    }
    let mut fresh = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut fresh);
    // Two first uses at once agree on one secret.
    let _ = tree.compare_and_swap(id_secret_key(), None::<&[u8]>, Some(&fresh[..]))?;
    tree.get(id_secret_key())?
        .map(|v| v.to_vec())
        .ok_or_else(|| ActorError::Corrupt("the id secret vanished".into()))
}

impl ActorCore {
    /// A deterministic local id for the next activity (of type `kind`) emitted while processing
    /// an inbox item (None outside processing). The type is part of it: a re-run that ends
    /// differently (an Accept where a Reject was sent) publishes its answer, not nothing.
    /// Keyed with the instance's secret (`id_secret`): the same on a re-run after a crash, but
    /// nobody else can compute it, so nobody can claim it first.
    pub fn next_emit_id(&self, kind: &str) -> Option<String> {
        let secret = match id_secret(&self.env.store) {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(error = %e, "no id secret; a random id is used");
                return None;
            }
        };
        let mut seed = self.emit_seed.borrow_mut();
        let (item, n) = seed.as_mut()?;
        let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, &secret);
        let message = format!("{}\n{item}\n{n}\n{kind}", self.r);
        let tag = aws_lc_rs::hmac::sign(&key, message.as_bytes());
        *n += 1;
        Some(crate::base::hex::hex(&tag.as_ref()[..12]))
    }
}

#[cfg(test)]
#[path = "ids_tests.rs"]
mod tests;
