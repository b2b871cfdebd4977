//! The operator's password reset (`orchard admin reset-password`): a new argon2 hash without the
//! old password, and every token of the account (API tokens and web sessions) revoked.

use super::Accounts;
use crate::base::error::{ActorError, Result};

impl Accounts {
    /// Sets `username`'s password to `new` without asking for the old one, revokes every token
    /// of the account (web sessions are tokens too) and flushes. Answers how many tokens were
    /// revoked; NotFound without the account. The hash runs on a blocking thread that holds
    /// `guard`.
    pub async fn reset_password<G: Send + 'static>(
        &self,
        username: &str,
        new: &str,
        guard: G,
    ) -> Result<usize> {
        Self::validate_password(new)?;
        if !self.exists(username)? {
            return Err(ActorError::NotFound(format!("account {username}")));
        }
        let (n, hasher) = (new.to_string(), self.hasher.clone());
        let hash = tokio::task::spawn_blocking(move || {
            let _guard = guard;
            hasher.hash(&n)
        })
        .await??;
        // Read after the (slow) hash, so a role granted meanwhile is kept.
        let mut account = self
            .get(username)?
            .ok_or_else(|| ActorError::NotFound(format!("account {username}")))?;
        account.password_hash = hash;
        self.put(&account)?;
        let revoked = self.tokens.revoke_others(username, None)?;
        self.store.flush().await?;
        tracing::info!(username, revoked, "password reset by the operator");
        Ok(revoked)
    }
}
