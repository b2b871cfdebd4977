//! `orchard admin create-account|grant|revoke`: creating an account (a reserved, privileged
//! name, or any other) and granting or revoking the roles `admin` and `factory-creator` (a
//! revoke that cannot take effect because the settings list the name fails and says so), on a
//! `Context` (a stopped instance or, through the admin socket, a running one). Also what every
//! command shares: an unknown account's failure, the settings' role lists, reading a password.
//! Tests call `create_account` and `set_role` on a stopped instance's settings.

use super::context::Context;
pub use super::failure::Failure;
use crate::settings::Settings;
use actors::accounts::Role;
use actors::ActorError;

/// `create_account_in` on a stopped instance.
pub async fn create_account(
    settings: &Settings,
    username: &str,
    password: &str,
) -> Result<String, Failure> {
    create_account_in(&Context::stopped(settings.clone())?, username, password).await
}

/// Creates the account `username` with its Person actor; answers a line for the operator.
pub async fn create_account_in(
    ctx: &Context,
    username: &str,
    password: &str,
) -> Result<String, Failure> {
    let r = ctx
        .accounts()
        .create_by_operator(username, password, ())
        .await
        .map_err(Failure::other)?;
    let iri = ctx.urls().actor(&r);
    Ok(format!("created the account {username} ({iri})"))
}

/// `set_role_in` on a stopped instance.
pub async fn set_role(
    settings: &Settings,
    username: &str,
    role: Role,
    on: bool,
) -> Result<String, Failure> {
    set_role_in(&Context::stopped(settings.clone())?, username, role, on).await
}

/// Grants (`on`) or revokes `role` on an existing account; answers a line for the operator.
pub async fn set_role_in(
    ctx: &Context,
    username: &str,
    role: Role,
    on: bool,
) -> Result<String, Failure> {
    let accounts = ctx.accounts();
    let stays = still_listed(&ctx.settings, &accounts, username, role)?;
    let changed = match accounts.set_role(username, role, on).await {
        Ok(c) => c,
        Err(ActorError::NotFound(_)) => return Err(no_account(username)),
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

/// "there is no account USER", status 1.
pub fn no_account(username: &str) -> Failure {
    Failure::other(format!(
        "there is no account {username}; create it first with `orchard admin create-account \
         {username}`"
    ))
}

/// The settings key that gives `username` `role` by listing it (an operator-created account
/// named in `[accounts] admins` / `factory_creators`), if one does.
pub fn still_listed(
    settings: &Settings,
    accounts: &actors::Accounts,
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

/// A password: the first line of `file` (relative to the working directory), or of standard
/// input.
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
