//! Local accounts: registration (which creates the Person actor), password login with argon2,
//! and bearer tokens stored as SHA-256 hashes in the instance tree.

use crate::core::{self, now_rfc3339, ActorRecord};
use crate::error::{ActorError, Result};
use crate::kind::{is_valid_local_id, ActorKind, ActorRef};
use crate::store::{self, Store, ACCOUNT, TOKEN};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sled::transaction::ConflictableTransactionError;
use sled::Transactional;

/// Longest password accepted, in bytes (argon2 accepts more, but nobody needs it).
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// `account 0xFF <username>` in the instance tree.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountRecord {
    pub username: String,
    /// PHC string of the argon2id hash.
    pub password_hash: String,
    pub created: String,
}

/// `token 0xFF <hex sha256 of the token>` in the instance tree.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenRecord {
    pub username: String,
    pub created: String,
}

/// Account operations over the store. Cheap to clone.
#[derive(Clone)]
pub struct Accounts {
    store: Store,
}

fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl Accounts {
    pub fn new(store: Store) -> Accounts {
        Accounts { store }
    }

    /// Checks a username and password before any expensive work.
    pub fn validate(username: &str, password: &str) -> Result<()> {
        if !is_valid_local_id(username) {
            return Err(ActorError::Invalid(
                "username must be 1 to 32 characters of a-z, 0-9, _ and -".into(),
            ));
        }
        if password.is_empty() {
            return Err(ActorError::Invalid("password must not be empty".into()));
        }
        if password.len() > MAX_PASSWORD_BYTES {
            return Err(ActorError::Invalid(format!(
                "password must be at most {MAX_PASSWORD_BYTES} bytes"
            )));
        }
        Ok(())
    }

    /// True when the username is taken.
    pub fn exists(&self, username: &str) -> Result<bool> {
        Ok(self
            .store
            .instance()
            .contains_key(store::key(ACCOUNT, username.as_bytes()))?)
    }

    /// Registers an account and creates its Person actor (with a new RSA key) atomically, then
    /// flushes. Conflict when the username is taken. CPU-heavy parts run on blocking threads.
    pub async fn register(&self, username: &str, password: &str) -> Result<ActorRef> {
        Self::validate(username, password)?;
        if self.exists(username)? {
            return Err(ActorError::Conflict(format!(
                "username {username} is taken"
            )));
        }
        let (u, p) = (username.to_string(), password.to_string());
        let (password_hash, record) = tokio::task::spawn_blocking(move || -> Result<_> {
            let salt = SaltString::generate(&mut OsRng);
            let hash = Argon2::default()
                .hash_password(p.as_bytes(), &salt)
                .map_err(|e| ActorError::Crypto(e.to_string()))?
                .to_string();
            let record = ActorRecord::generate(ActorKind::Person, &u, None)?;
            Ok((hash, record))
        })
        .await??;
        let account = AccountRecord {
            username: username.to_string(),
            password_hash,
            created: now_rfc3339(),
        };
        let r = ActorRef::new(ActorKind::Person, username);
        let tree = self.store.actor_tree(&r)?;
        let account_key = store::key(ACCOUNT, username.as_bytes());
        let account_bytes = store::encode(&account)?;
        (self.store.instance(), tree.raw()).transaction(|(instance, actor_tree)| {
            if instance.get(&account_key)?.is_some() {
                return Err(ConflictableTransactionError::Abort(ActorError::Conflict(
                    format!("username {} is taken", r.id),
                )));
            }
            instance.insert(account_key.as_slice(), account_bytes.as_slice())?;
            core::create_in_transaction(instance, actor_tree, tree.prefix(), &r, &record)
        })?;
        self.store.flush().await?;
        tracing::info!(username, "registered account");
        Ok(r)
    }

    /// Verifies a password and issues a new bearer token. Unauthorized on any mismatch.
    pub async fn login(&self, username: &str, password: &str) -> Result<String> {
        let Some(bytes) = self
            .store
            .instance()
            .get(store::key(ACCOUNT, username.as_bytes()))?
        else {
            return Err(ActorError::Unauthorized);
        };
        let account: AccountRecord = store::decode(&bytes)?;
        let p = password.to_string();
        let ok = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&account.password_hash)
                .map(|h| Argon2::default().verify_password(p.as_bytes(), &h).is_ok())
                .unwrap_or(false)
        })
        .await?;
        if !ok {
            return Err(ActorError::Unauthorized);
        }
        let mut raw = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut raw);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw);
        let record = TokenRecord {
            username: username.to_string(),
            created: now_rfc3339(),
        };
        self.store.instance().insert(
            store::key(TOKEN, hash_token(&token).as_bytes()),
            store::encode(&record)?,
        )?;
        self.store.flush().await?;
        Ok(token)
    }

    /// The username a bearer token belongs to; Unauthorized when unknown.
    pub fn authenticate(&self, token: &str) -> Result<String> {
        match self
            .store
            .instance()
            .get(store::key(TOKEN, hash_token(token).as_bytes()))?
        {
            Some(bytes) => Ok(store::decode::<TokenRecord>(&bytes)?.username),
            None => Err(ActorError::Unauthorized),
        }
    }

    /// Number of local people.
    pub fn person_count(&self) -> Result<u64> {
        self.store.counter(ActorKind::Person.tree_prefix())
    }
}
