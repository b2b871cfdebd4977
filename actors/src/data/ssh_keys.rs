//! SSH public keys of local people, kept in the instance tree. A key (named by its SHA-256
//! fingerprint) belongs to at most one person: the SSH server maps an authenticating key to the
//! person who owns it. Parsing key text is the server crate's business; this module only stores
//! what it is given.

use crate::base::error::{ActorError, Result};
use crate::storage::codec;
use crate::storage::engine::TxError;
use crate::storage::layout::{self, SEP, SSH_KEY, SSH_KEY_GONE, SSH_KEY_OF};
use crate::storage::store::Store;
use serde::{Deserialize, Serialize};

/// Most keys one person may register.
pub const MAX_KEYS_PER_PERSON: usize = 64;

/// One registered key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SshKeyRecord {
    /// `SHA256:<unpadded base64>`, as OpenSSH prints it.
    pub fingerprint: String,
    /// The owner's username.
    pub username: String,
    /// The key in OpenSSH format without its comment, e.g. `ssh-ed25519 AAAA...`.
    pub key: String,
    /// The comment given with the key, if any.
    pub comment: Option<String>,
    /// When it was added (RFC 3339).
    pub added: String,
}

/// Key operations over the store. Cheap to clone.
#[derive(Clone)]
pub struct SshKeys {
    store: Store,
}

fn owner_key(fingerprint: &str) -> Vec<u8> {
    layout::key(SSH_KEY, fingerprint.as_bytes())
}

fn person_prefix(username: &str) -> Vec<u8> {
    let mut k = layout::key(SSH_KEY_OF, username.as_bytes());
    k.push(SEP);
    k
}

fn person_key(username: &str, fingerprint: &str) -> Vec<u8> {
    let mut k = person_prefix(username);
    k.extend_from_slice(fingerprint.as_bytes());
    k
}

fn gone_prefix(username: &str) -> Vec<u8> {
    let mut k = layout::key(SSH_KEY_GONE, username.as_bytes());
    k.push(SEP);
    k
}

fn gone_key(username: &str, fingerprint: &str) -> Vec<u8> {
    let mut k = gone_prefix(username);
    k.extend_from_slice(fingerprint.as_bytes());
    k
}

impl SshKeys {
    pub fn new(store: Store) -> SshKeys {
        SshKeys { store }
    }

    /// Registers a key for `username` (the record's `username` is set to it). Conflict when the
    /// fingerprint is registered already, by anyone; Invalid when the person has too many keys.
    /// Both entries are written in one transaction. Does not flush.
    pub fn add(&self, username: &str, mut record: SshKeyRecord) -> Result<SshKeyRecord> {
        if record.fingerprint.is_empty() || record.fingerprint.as_bytes().contains(&SEP) {
            return Err(ActorError::Invalid("malformed key fingerprint".into()));
        }
        record.username = username.to_string();
        let instance = self.store.instance();
        if instance.scan_prefix(person_prefix(username)).count() >= MAX_KEYS_PER_PERSON {
            return Err(ActorError::Invalid(format!(
                "a person may register at most {MAX_KEYS_PER_PERSON} SSH keys"
            )));
        }
        let owner = owner_key(&record.fingerprint);
        let mine = person_key(username, &record.fingerprint);
        let gone = gone_key(username, &record.fingerprint);
        let bytes = codec::encode(&record)?;
        self.store.transaction(&[instance], |t| {
            if t[0].get(&owner)?.is_some() {
                return Err(TxError::Abort(ActorError::Conflict(
                    "this key already belongs to a person".into(),
                )));
            }
            t[0].insert(&owner, &bytes)?;
            t[0].insert(&mine, &[])?;
            t[0].remove(&gone)
        })?;
        tracing::info!(username, fingerprint = %record.fingerprint, "added SSH key");
        Ok(record)
    }

    /// The keys of a person, oldest first.
    pub fn list(&self, username: &str) -> Result<Vec<SshKeyRecord>> {
        let prefix = person_prefix(username);
        let mut records = Vec::new();
        for entry in self.store.instance().scan_prefix(&prefix) {
            let (k, _) = entry?;
            let fingerprint = String::from_utf8_lossy(&k[prefix.len()..]).into_owned();
            match self.record(&fingerprint)? {
                Some(r) if r.username == username => records.push(r),
                _ => tracing::warn!(username, fingerprint, "dangling SSH key index entry"),
            }
        }
        records.sort_by(|a, b| (&a.added, &a.fingerprint).cmp(&(&b.added, &b.fingerprint)));
        Ok(records)
    }

    /// Removes a person's key. NotFound unless the key is registered to that person.
    pub fn remove(&self, username: &str, fingerprint: &str) -> Result<()> {
        let owner = owner_key(fingerprint);
        let mine = person_key(username, fingerprint);
        let gone = gone_key(username, fingerprint);
        self.store.transaction(&[self.store.instance()], |t| {
            if t[0].get(&mine)?.is_none() {
                return Err(TxError::Abort(ActorError::NotFound(format!(
                    "SSH key {fingerprint}"
                ))));
            }
            t[0].remove(&mine)?;
            t[0].remove(&owner)?;
            t[0].insert(&gone, &[])
        })?;
        tracing::info!(username, fingerprint, "removed SSH key");
        Ok(())
    }

    /// The fingerprints of the keys a person removed and has not added again.
    pub fn removed(&self, username: &str) -> Result<Vec<String>> {
        let prefix = gone_prefix(username);
        let mut out = Vec::new();
        for entry in self.store.instance().scan_prefix(&prefix) {
            let (k, _) = entry?;
            out.push(String::from_utf8_lossy(&k[prefix.len()..]).into_owned());
        }
        Ok(out)
    }

    /// The username owning a key, if it is registered.
    pub fn owner(&self, fingerprint: &str) -> Result<Option<String>> {
        Ok(self.record(fingerprint)?.map(|r| r.username))
    }

    /// The stored record of a key.
    pub fn record(&self, fingerprint: &str) -> Result<Option<SshKeyRecord>> {
        match self.store.instance().get(owner_key(fingerprint))? {
            Some(bytes) => Ok(Some(codec::decode(&bytes)?)),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(fp: &str) -> SshKeyRecord {
        SshKeyRecord {
            fingerprint: fp.into(),
            username: String::new(),
            key: format!("ssh-ed25519 {fp}"),
            comment: None,
            added: crate::base::clock::now_rfc3339(),
        }
    }

    #[test]
    fn a_key_belongs_to_one_person() {
        let dir = tempfile::tempdir().unwrap();
        let keys = SshKeys::new(Store::open(dir.path()).unwrap());
        let added = keys.add("alice", record("SHA256:a")).unwrap();
        assert_eq!(added.username, "alice");
        assert!(matches!(
            keys.add("alice", record("SHA256:a")),
            Err(ActorError::Conflict(_))
        ));
        assert!(matches!(
            keys.add("bob", record("SHA256:a")),
            Err(ActorError::Conflict(_))
        ));
        keys.add("alice", record("SHA256:b")).unwrap();
        assert_eq!(keys.list("alice").unwrap().len(), 2);
        assert!(keys.list("bob").unwrap().is_empty());
        assert!(keys.list("alic").unwrap().is_empty(), "no prefix leak");
        assert_eq!(keys.owner("SHA256:a").unwrap().as_deref(), Some("alice"));
        assert!(matches!(
            keys.remove("bob", "SHA256:a"),
            Err(ActorError::NotFound(_))
        ));
        keys.remove("alice", "SHA256:a").unwrap();
        assert_eq!(keys.owner("SHA256:a").unwrap(), None);
        keys.add("bob", record("SHA256:a")).unwrap();
        assert_eq!(keys.owner("SHA256:a").unwrap().as_deref(), Some("bob"));
    }

    #[test]
    fn removed_keys_are_remembered_until_added_again() {
        let dir = tempfile::tempdir().unwrap();
        let keys = SshKeys::new(Store::open(dir.path()).unwrap());
        keys.add("alice", record("SHA256:a")).unwrap();
        assert!(keys.removed("alice").unwrap().is_empty());
        keys.remove("alice", "SHA256:a").unwrap();
        assert_eq!(keys.removed("alice").unwrap(), vec!["SHA256:a".to_string()]);
        assert!(keys.removed("alic").unwrap().is_empty(), "no prefix leak");
        keys.add("alice", record("SHA256:a")).unwrap();
        assert!(keys.removed("alice").unwrap().is_empty(), "added again");
    }

    #[test]
    fn keys_per_person_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let keys = SshKeys::new(Store::open(dir.path()).unwrap());
        for i in 0..MAX_KEYS_PER_PERSON {
            keys.add("alice", record(&format!("SHA256:{i}"))).unwrap();
        }
        assert!(matches!(
            keys.add("alice", record("SHA256:x")),
            Err(ActorError::Invalid(_))
        ));
    }
}
