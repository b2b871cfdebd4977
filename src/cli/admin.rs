//! `orchard admin ...`: the operator's account commands, run on a stopped instance's data
//! directory: creating an account (a reserved, privileged name, or any other) and granting or
//! revoking the roles `admin` and `factory-creator` (a revoke that cannot take effect because
//! the settings list the name fails and says so). Tests use these functions too.

use crate::settings::Settings;
use actors::accounts::Role;
use actors::{Accounts, ActorError, Store};

/// Why a command failed, and the exit status it ends with.
#[derive(Debug)]
pub struct Failure {
    /// 2: the instance is running or the settings are bad; 1: anything else.
    pub status: u8,
    pub message: String,
}

impl Failure {
    fn other(e: impl std::fmt::Display) -> Failure {
        Failure {
            status: 1,
            message: e.to_string(),
        }
    }
}

/// Opens the store named by `[storage] path`; status 2 with "stop the server first" when a
/// running server holds it.
pub fn open_store(settings: &Settings) -> Result<Store, Failure> {
    let path = &settings.storage.path;
    std::fs::create_dir_all(path).map_err(Failure::other)?;
    Store::open(path).map_err(|e| {
        if e.to_string().contains("could not acquire lock") {
            Failure {
                status: 2,
                message: format!(
                    "the data directory {} is in use by a running Orchard server: stop the server \
                     first (orchard admin works on a stopped instance)",
                    path.display()
                ),
            }
        } else {
            Failure::other(format!("cannot open the store at {}: {e}", path.display()))
        }
    })
}

/// Creates the account `username` with its Person actor; answers a line for the operator.
pub async fn create_account(
    settings: &Settings,
    username: &str,
    password: &str,
) -> Result<String, Failure> {
    let store = open_store(settings)?;
    let accounts = Accounts::new(store);
    let r = accounts
        .create_by_operator(username, password, ())
        .await
        .map_err(Failure::other)?;
    let iri = actors::Urls::new(settings.public_url.clone()).actor(&r);
    Ok(format!("created the account {username} ({iri})"))
}

/// Grants (`on`) or revokes `role` on an existing account; answers a line for the operator.
pub async fn set_role(
    settings: &Settings,
    username: &str,
    role: Role,
    on: bool,
) -> Result<String, Failure> {
    let store = open_store(settings)?;
    let accounts = Accounts::new(store);
    let stays = still_listed(settings, &accounts, username, role)?;
    let changed = match accounts.set_role(username, role, on).await {
        Ok(c) => c,
        Err(ActorError::NotFound(_)) => {
            return Err(Failure::other(format!(
                "there is no account {username}; create it first with `orchard admin \
                 create-account {username}`"
            )))
        }
        Err(e) => return Err(Failure::other(e)),
    };
    let role = role.name();
    if let (false, Some(key)) = (on, stays) {
        let removed = if changed {
            "the granted role is removed, but "
        } else {
            ""
        };
        return Err(Failure::other(format!(
            "{removed}{username} is still {role}: [accounts] {key} in the settings lists the \
             name; remove it there and restart the server"
        )));
    }
    Ok(match (on, changed) {
        (true, true) => format!("{username} is now {role}"),
        (true, false) => format!("{username} already was {role}"),
        (false, true) => format!("{username} is no longer {role}"),
        (false, false) => format!("{username} was not {role}"),
    })
}

/// The settings key that gives `username` `role` by listing it (an operator-created account
/// named in `[accounts] admins` / `factory_creators`), if one does.
fn still_listed(
    settings: &Settings,
    accounts: &Accounts,
    username: &str,
    role: Role,
) -> Result<Option<&'static str>, Failure> {
    let (key, names) = match role {
        Role::Admin => ("admins", &settings.accounts.admins),
        Role::FactoryCreator => ("factory_creators", &settings.accounts.factory_creators),
    };
    let by_operator = accounts.by_operator(username).map_err(Failure::other)?;
    Ok((by_operator && names.iter().any(|n| n == username)).then_some(key))
}

/// The password for `create-account`: the first line of `file`, or of standard input.
pub fn read_password(file: Option<&std::path::Path>) -> Result<String, Failure> {
    let text = match file {
        Some(f) => std::fs::read_to_string(f)
            .map_err(|e| Failure::other(format!("cannot read {}: {e}", f.display())))?,
        None => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| Failure::other(format!("cannot read standard input: {e}")))?;
            line
        }
    };
    let password = text.lines().next().unwrap_or_default().to_string();
    if password.is_empty() {
        return Err(Failure::other(
            "the password is empty (give it on standard input or in --password-file)",
        ));
    }
    Ok(password)
}
