//! The SSH host key: an ed25519 key generated on first start and kept in the instance tree, so
//! clients see the same host key across restarts.

use crate::error::{Error, Result};
use actors::storage::layout::{self, HOST_KEY, META};
use actors::Store;
use rand::RngCore;
use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::ssh_key::LineEnding;
use russh::keys::PrivateKey;

fn corrupt(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Actor(actors::ActorError::Corrupt(format!("{what}: {e}")))
}

/// The instance's SSH host key, created (and flushed) on first use. Blocking (it may flush):
/// call it at start-up.
pub fn load_or_create(store: &Store) -> Result<PrivateKey> {
    let k = layout::key(META, HOST_KEY.as_bytes());
    if let Some(bytes) = store.instance().get(&k)? {
        return PrivateKey::from_openssh(&bytes).map_err(|e| corrupt("stored SSH host key", e));
    }
    let mut seed = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut seed);
    let mut key = PrivateKey::from(Ed25519Keypair::from_seed(&seed));
    seed.fill(0);
    key.set_comment("orchard host key");
    let pem = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| corrupt("encoding the SSH host key", e))?;
    // Another start-up racing on the same store keeps whichever key was written first.
    let raced =
        store
            .instance()
            .compare_and_swap(&k, None as Option<&[u8]>, Some(pem.as_bytes()))?;
    if let Err(Some(current)) = raced {
        return PrivateKey::from_openssh(&current).map_err(|e| corrupt("stored SSH host key", e));
    }
    store.flush_blocking()?;
    tracing::info!(
        fingerprint = %super::fingerprint::fingerprint(key.public_key()),
        "generated the SSH host key"
    );
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_key_is_ed25519_and_survives_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let first = {
            let store = Store::open(dir.path()).unwrap();
            let k = load_or_create(&store).unwrap();
            assert_eq!(k.algorithm(), russh::keys::Algorithm::Ed25519);
            assert_eq!(load_or_create(&store).unwrap().public_key(), k.public_key());
            k
        };
        let store = Store::open(dir.path()).unwrap();
        let again = load_or_create(&store).unwrap();
        assert_eq!(again.public_key(), first.public_key());
    }
}
