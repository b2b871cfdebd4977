//! The roles the operator gives an account (admin, Factory creator; see `account_record`):
//! asking for one, granting and revoking it.

use super::{Accounts, Role};
use crate::base::error::{ActorError, Result};

impl Accounts {
    /// Whether the account exists and was created by the operator.
    pub fn by_operator(&self, username: &str) -> Result<bool> {
        Ok(self.get(username)?.is_some_and(|a| a.by_operator))
    }

    /// Whether the account has the role (false when there is no such account).
    pub fn has_role(&self, username: &str, role: Role) -> Result<bool> {
        Ok(self.get(username)?.is_some_and(|a| a.roles.contains(&role)))
    }

    /// Grants (`on`) or revokes a role and flushes; NotFound without the account. Answers
    /// whether anything changed.
    pub async fn set_role(&self, username: &str, role: Role, on: bool) -> Result<bool> {
        let mut account = self
            .get(username)?
            .ok_or_else(|| ActorError::NotFound(format!("account {username}")))?;
        let had = account.roles.contains(&role);
        if had == on {
            return Ok(false);
        }
        if on {
            account.roles.push(role);
        } else {
            account.roles.retain(|r| *r != role);
        }
        self.put(&account)?;
        self.store.flush().await?;
        tracing::info!(username, role = role.name(), on, "account role changed");
        Ok(true)
    }
}
