//! A local account as stored (`account 0xFF <username>` in the instance tree) and the roles the
//! operator gives accounts.

use serde::{Deserialize, Serialize};

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
}
