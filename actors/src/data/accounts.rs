//! Local accounts: registration (which creates the Person actor), password login (argon2, see
//! [`crate::base::password`]), password changes, the operator-set roles of an account (admin,
//! Factory creator; see `account_record`), and its bearer tokens (see [`crate::data::tokens`]).
//!
//! The expensive calls take a `guard` (e.g. a semaphore permit) that is held on the blocking
//! thread until the hashing is done, so a caller can bound how many hashes run at once even
//! when its request is dropped mid-way.

use crate::actor::record::{self, ActorRecord};
use crate::base::clock::now_rfc3339;
use crate::base::error::{ActorError, Result};
use crate::base::kind::{is_valid_local_id, ActorKind, ActorRef};
use crate::base::password::Hasher;
use crate::data::account_record::{AccountRecord, SUSPENDED};
use crate::data::tokens::{TokenInfo, Tokens};
use crate::storage::codec;
use crate::storage::engine::TxError;
use crate::storage::layout::{self, ACCOUNT};
use crate::storage::store::Store;

/// Longest password accepted, in bytes (argon2 accepts more, but nobody needs it).
pub const MAX_PASSWORD_BYTES: usize = 1024;

pub use crate::data::account_record::Role;

#[path = "account_reset.rs"]
mod reset;
#[path = "account_roles.rs"]
mod roles;

/// Account operations over the store. Cheap to clone.
#[derive(Clone)]
pub struct Accounts {
    store: Store,
    hasher: Hasher,
    tokens: Tokens,
}

impl Accounts {
    /// Accounts whose new tokens live 30 days.
    pub fn new(store: Store) -> Accounts {
        Accounts::with_token_days(store, 30)
    }

    /// Accounts whose new tokens live `token_days`.
    pub fn with_token_days(store: Store, token_days: u64) -> Accounts {
        Accounts {
            tokens: Tokens::new(store.clone(), token_days),
            hasher: Hasher::new(),
            store,
        }
    }

    /// The token store.
    pub fn tokens(&self) -> &Tokens {
        &self.tokens
    }

    /// How many password hashes were computed (registration, login, password change).
    pub fn hash_count(&self) -> u64 {
        self.hasher.count()
    }

    /// Checks a username and password before any expensive work.
    pub fn validate(username: &str, password: &str) -> Result<()> {
        if !is_valid_local_id(username) {
            return Err(ActorError::Invalid(
                "username must be 1 to 32 characters of a-z, 0-9, _ and -".into(),
            ));
        }
        Self::validate_password(password)
    }

    fn validate_password(password: &str) -> Result<()> {
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
        self.store
            .instance()
            .contains_key(layout::key(ACCOUNT, username.as_bytes()))
    }

    /// The stored account, if any.
    pub fn get(&self, username: &str) -> Result<Option<AccountRecord>> {
        match self
            .store
            .instance()
            .get(layout::key(ACCOUNT, username.as_bytes()))?
        {
            Some(bytes) => Ok(Some(codec::decode(&bytes)?)),
            None => Ok(None),
        }
    }

    fn put(&self, account: &AccountRecord) -> Result<()> {
        self.store.instance().insert(
            layout::key(ACCOUNT, account.username.as_bytes()),
            codec::encode(account)?,
        )?;
        Ok(())
    }

    /// Registers an account and creates its Person actor (with a new RSA key) atomically, then
    /// flushes. Conflict when the username is taken. CPU-heavy parts run on a blocking thread
    /// that holds `guard`.
    pub async fn register<G: Send + 'static>(
        &self,
        username: &str,
        password: &str,
        guard: G,
    ) -> Result<ActorRef> {
        self.create(username, password, guard, false).await
    }

    /// Like [`Accounts::register`], for the operator (`orchard admin create-account`): the
    /// account is marked `by_operator`.
    pub async fn create_by_operator<G: Send + 'static>(
        &self,
        username: &str,
        password: &str,
        guard: G,
    ) -> Result<ActorRef> {
        self.create(username, password, guard, true).await
    }

    async fn create<G: Send + 'static>(
        &self,
        username: &str,
        password: &str,
        guard: G,
        by_operator: bool,
    ) -> Result<ActorRef> {
        Self::validate(username, password)?;
        if self.exists(username)? {
            return Err(ActorError::Conflict(format!(
                "username {username} is taken"
            )));
        }
        let (u, p, hasher) = (
            username.to_string(),
            password.to_string(),
            self.hasher.clone(),
        );
        let (password_hash, record) = tokio::task::spawn_blocking(move || -> Result<_> {
            let _guard = guard;
            let hash = hasher.hash(&p)?;
            let record = ActorRecord::generate(ActorKind::Person, &u, None)?;
            Ok((hash, record))
        })
        .await??;
        let account = AccountRecord {
            username: username.to_string(),
            password_hash,
            created: now_rfc3339(),
            roles: Vec::new(),
            by_operator,
            suspended: None,
        };
        let r = ActorRef::new(ActorKind::Person, username);
        let tree = self.store.keyspace(&r)?;
        let account_key = layout::key(ACCOUNT, username.as_bytes());
        let account_bytes = codec::encode(&account)?;
        let trees = [self.store.instance(), tree.raw()];
        self.store.transaction(&trees, |t| {
            if t[0].get(&account_key)?.is_some() {
                return Err(TxError::Abort(ActorError::Conflict(format!(
                    "username {} is taken",
                    r.id
                ))));
            }
            t[0].insert(&account_key, &account_bytes)?;
            record::create_in_transaction(t[0], t[1], tree.prefix(), &r, &record)
        })?;
        self.store.flush().await?;
        tracing::info!(username, "registered account");
        Ok(r)
    }

    /// Whether `password` is `username`'s, hashing on a blocking thread that holds `guard`.
    /// An unknown username costs the same hash as a wrong password.
    async fn check<G: Send + 'static>(
        &self,
        username: &str,
        password: &str,
        guard: G,
    ) -> Result<bool> {
        let stored = self.get(username)?.map(|a| a.password_hash);
        let (p, hasher) = (password.to_string(), self.hasher.clone());
        Ok(tokio::task::spawn_blocking(move || {
            let _guard = guard;
            hasher.verify(stored.as_deref(), &p)
        })
        .await?)
    }

    /// Verifies a password and issues a new bearer token (answered with its id and expiry).
    /// Unauthorized on any mismatch; Forbidden ("account suspended"), only once the password
    /// is right, for a suspended account.
    pub async fn login<G: Send + 'static>(
        &self,
        username: &str,
        password: &str,
        guard: G,
    ) -> Result<(String, TokenInfo)> {
        if password.len() > MAX_PASSWORD_BYTES || !self.check(username, password, guard).await? {
            return Err(ActorError::Unauthorized);
        }
        if self.get(username)?.is_some_and(|a| a.suspended.is_some()) {
            return Err(ActorError::Forbidden(SUSPENDED.into()));
        }
        self.tokens.issue(username).await
    }

    /// Changes `username`'s password when `old` is right (Forbidden otherwise), revokes every
    /// token but `keep` (a token hash), and flushes. Answers how many tokens were revoked.
    pub async fn change_password<G: Send + 'static>(
        &self,
        username: &str,
        old: &str,
        new: &str,
        keep: Option<&str>,
        guard: G,
    ) -> Result<usize> {
        Self::validate_password(new)?;
        let mut account = self
            .get(username)?
            .ok_or_else(|| ActorError::NotFound(format!("account {username}")))?;
        let (o, n, hasher) = (old.to_string(), new.to_string(), self.hasher.clone());
        let stored = account.password_hash.clone();
        let hash = tokio::task::spawn_blocking(move || -> Result<Option<String>> {
            let _guard = guard;
            if o.len() > MAX_PASSWORD_BYTES || !hasher.verify(Some(&stored), &o) {
                return Ok(None);
            }
            hasher.hash(&n).map(Some)
        })
        .await??;
        let Some(hash) = hash else {
            return Err(ActorError::Forbidden("the old password is wrong".into()));
        };
        account.password_hash = hash;
        self.put(&account)?;
        let revoked = self.tokens.revoke_others(username, keep)?;
        self.store.flush().await?;
        tracing::info!(username, revoked, "password changed");
        Ok(revoked)
    }

    /// The username a bearer token belongs to; Unauthorized when unknown, revoked or expired.
    pub fn authenticate(&self, token: &str) -> Result<String> {
        Ok(self.tokens.authenticate(token)?.username)
    }

    /// Number of local people.
    pub fn person_count(&self) -> Result<u64> {
        self.store.counter(ActorKind::Person.tree_prefix())
    }
}

#[cfg(test)]
#[path = "accounts_tests.rs"]
mod tests;
