//! SSH keys of people on other instances who hold Grants here, so they can push and clone over
//! this instance's SSH server as themselves. Their home instance lists their keys on their
//! Person document (`sshKey`); this instance indexes the fingerprints of the remote people it
//! granted roles to. Fetching and key parsing happen in the server crate; this is the index.
//!
//! Keys in the instance tree:
//! - `remote-grantee 0xFF <person iri>` -> be u64 ms of the last refresh of their keys (0: never)
//! - `remote-sshkey 0xFF <fingerprint>` -> the remote person's IRI
//! - `remote-sshkey-of 0xFF <person iri> 0xFF <fingerprint>` -> empty

use crate::base::error::Result;
use crate::storage::codec;
use crate::storage::layout::REMOTE_GRANTEE;
use crate::storage::layout::REMOTE_SSH_KEY;
use crate::storage::layout::REMOTE_SSH_KEY_OF;
use crate::storage::layout::{self, SEP};
use crate::storage::store::Store;
use url::Url;

fn of_prefix(person: &Url) -> Vec<u8> {
    let mut k = layout::key(REMOTE_SSH_KEY_OF, person.as_str().as_bytes());
    k.push(SEP);
    k
}

/// The index. Cheap to clone.
#[derive(Clone)]
pub struct RemoteSshKeys {
    store: Store,
}

impl RemoteSshKeys {
    pub fn new(store: Store) -> RemoteSshKeys {
        RemoteSshKeys { store }
    }

    /// Records that a remote person was granted a role here (their keys are worth knowing).
    pub fn add_grantee(&self, person: &Url) -> Result<()> {
        let key = layout::key(REMOTE_GRANTEE, person.as_str().as_bytes());
        if !self.store.instance().contains_key(&key)? {
            self.store.instance().insert(key, &0u64.to_be_bytes()[..])?;
        }
        Ok(())
    }

    /// Remote grantees whose keys were last refreshed before `before_ms`.
    pub fn stale_grantees(&self, before_ms: u64, limit: usize) -> Result<Vec<Url>> {
        let pre = layout::prefix(REMOTE_GRANTEE);
        let mut out = Vec::new();
        for entry in self.store.instance().scan_prefix(&pre) {
            let (k, v) = entry?;
            if codec::decode_u64(&v) < before_ms {
                if let Ok(u) = Url::parse(&String::from_utf8_lossy(&k[pre.len()..])) {
                    out.push(u);
                }
            }
            if out.len() >= limit {
                break;
            }
        }
        Ok(out)
    }

    /// The remote person a fingerprint belongs to.
    pub fn owner(&self, fingerprint: &str) -> Result<Option<Url>> {
        Ok(self
            .store
            .instance()
            .get(layout::key(REMOTE_SSH_KEY, fingerprint.as_bytes()))?
            .and_then(|v| Url::parse(&String::from_utf8_lossy(&v)).ok()))
    }

    /// Replaces a remote person's fingerprints with `fingerprints` (as just fetched). A
    /// fingerprint already claimed by someone else keeps its first owner.
    pub fn set_keys(&self, person: &Url, fingerprints: &[String], now_ms: u64) -> Result<()> {
        let tree = self.store.instance();
        let pre = of_prefix(person);
        for entry in tree.scan_prefix(&pre) {
            let (k, _) = entry?;
            let fp = k[pre.len()..].to_vec();
            tree.remove(&k)?;
            let owned_key = layout::key(REMOTE_SSH_KEY, &fp);
            if tree.get(&owned_key)?.as_deref() == Some(person.as_str().as_bytes()) {
                tree.remove(owned_key)?;
            }
        }
        for fp in fingerprints {
            let owned_key = layout::key(REMOTE_SSH_KEY, fp.as_bytes());
            match tree.get(&owned_key)? {
                Some(owner) if owner.as_slice() != person.as_str().as_bytes() => {
                    tracing::warn!(%person, fingerprint = %fp, "SSH key already claimed by another remote person; ignored");
                    continue;
                }
                _ => {}
            }
            tree.insert(owned_key, person.as_str().as_bytes())?;
            let mut of = pre.clone();
            of.extend_from_slice(fp.as_bytes());
            tree.insert(of, &[][..])?;
        }
        tree.insert(
            layout::key(REMOTE_GRANTEE, person.as_str().as_bytes()),
            &now_ms.to_be_bytes()[..],
        )?;
        Ok(())
    }
}
