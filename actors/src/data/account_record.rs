//! A local account as stored (`account 0xFF <username>` in the instance tree) and the roles the
//! operator gives accounts, whether it is suspended, and listing accounts in username order.

use serde::{Deserialize, Serialize};

/// The message every transport gives a suspended person (see `data::suspension`).
pub const SUSPENDED: &str = "account suspended";

/// A privilege the operator gives an account (`orchard admin grant`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// May use the admin API.
    Admin,
    /// May create Factories.
    FactoryCreator,
}

impl Role {
    /// The name used on the command line and in storage.
    pub fn name(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::FactoryCreator => "factory-creator",
        }
    }
}

/// `account 0xFF <username>` in the instance tree.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountRecord {
    pub username: String,
    /// PHC string of the argon2id hash.
    pub password_hash: String,
    pub created: String,
    /// Roles the operator granted (absent in records written before roles existed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
    /// Created by the operator (`orchard admin create-account`), not registered over the API:
    /// only such an account gets a role by being listed in the settings.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub by_operator: bool,
    /// RFC 3339 time the account was suspended (`data::suspension`); None while it is not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspended: Option<String>,
}

/// The first `limit` accounts after the username `after` (None: from the first), in username
/// order (the admin page's list).
pub fn list(
    store: &crate::storage::store::Store,
    after: Option<&str>,
    limit: usize,
) -> crate::base::error::Result<Vec<AccountRecord>> {
    use crate::storage::layout::{self, ACCOUNT};
    let prefix = layout::prefix(ACCOUNT);
    let after_key = after.map(|a| layout::key(ACCOUNT, a.as_bytes()));
    let mut out = Vec::new();
    for entry in store.instance().scan_prefix(&prefix) {
        let (k, v) = entry?;
        if after_key.as_deref().is_some_and(|a| k.as_slice() <= a) {
            continue;
        }
        out.push(crate::storage::codec::decode(&v)?);
        if out.len() == limit {
            break;
        }
    }
    Ok(out)
}
