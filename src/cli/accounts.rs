//! `orchard admin list-accounts`, `reset-password`, `suspend` and `unsuspend`: the accounts as a
//! table (or JSON) with their roles, creation time, suspension and SSH keys; a new password set
//! by the operator, which revokes every token and web session of the account and prints nothing
//! secret; the suspension of an account (`actors::data::suspension`, as the admin API's).

use super::admin::{no_account, still_listed};
use super::context::Context;
use super::failure::Failure;
use super::table;
use actors::accounts::Role;
use actors::data::account_record::{self, AccountRecord};
use actors::data::suspension;
use actors::ActorError;
use serde::Serialize;

/// Accounts read from the store at a time.
const PAGE: usize = 500;

/// One row of `list-accounts`.
#[derive(Serialize)]
pub struct AccountRow {
    pub username: String,
    /// Granted roles, and those the settings give (`[accounts] admins`, `factory_creators`).
    pub roles: Vec<String>,
    pub created: String,
    /// Since when the account is suspended (`null` when it is not).
    pub suspended: serde_json::Value,
    pub ssh_keys: usize,
}

fn row(ctx: &Context, account: AccountRecord) -> Result<AccountRow, Failure> {
    let accounts = ctx.accounts();
    let mut roles: Vec<String> = account.roles.iter().map(|r| r.name().into()).collect();
    for role in [Role::Admin, Role::FactoryCreator] {
        let listed = still_listed(&ctx.settings, &accounts, &account.username, role)?;
        if listed.is_some() && !account.roles.contains(&role) {
            roles.push(format!("{} (settings)", role.name()));
        }
    }
    let suspended = account
        .suspended
        .clone()
        .map_or(serde_json::Value::Null, serde_json::Value::String);
    let ssh_keys = actors::ssh_keys::SshKeys::new(ctx.store.clone())
        .list(&account.username)
        .map_err(Failure::other)?
        .len();
    Ok(AccountRow {
        username: account.username,
        roles,
        created: account.created,
        suspended,
        ssh_keys,
    })
}

/// Every account, in username order.
pub fn rows(ctx: &Context) -> Result<Vec<AccountRow>, Failure> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page =
            account_record::list(&ctx.store, after.as_deref(), PAGE).map_err(Failure::other)?;
        let full = page.len() == PAGE;
        after = page.last().map(|a| a.username.clone());
        for account in page {
            out.push(row(ctx, account)?);
        }
        if !full {
            return Ok(out);
        }
    }
}

/// `list-accounts [--json]`.
pub fn list(ctx: &Context, json: bool) -> Result<String, Failure> {
    let rows = rows(ctx)?;
    if json {
        return serde_json::to_string_pretty(&rows).map_err(Failure::other);
    }
    if rows.is_empty() {
        return Ok("no accounts".into());
    }
    let cells = rows
        .iter()
        .map(|r| {
            let suspended = match &r.suspended {
                serde_json::Value::Null => "-".to_string(),
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let roles = if r.roles.is_empty() {
                "-".to_string()
            } else {
                r.roles.join(",")
            };
            [
                r.username.clone(),
                roles,
                r.created.clone(),
                suspended,
                r.ssh_keys.to_string(),
            ]
        })
        .collect::<Vec<_>>();
    Ok(table::render(
        ["USERNAME", "ROLES", "CREATED", "SUSPENDED", "SSH KEYS"],
        &cells,
    ))
}

/// `reset-password USER` with the password the client read.
pub async fn reset_password(
    ctx: &Context,
    username: &str,
    password: &str,
) -> Result<String, Failure> {
    match ctx.accounts().reset_password(username, password, ()).await {
        Ok(revoked) => Ok(format!(
            "the password of {username} is reset; {revoked} token(s) and web session(s) revoked"
        )),
        Err(ActorError::NotFound(_)) => Err(no_account(username)),
        Err(e) => Err(Failure::other(e)),
    }
}

/// Suspends (`on`) or unsuspends `username`'s account.
pub async fn set_suspended(ctx: &Context, username: &str, on: bool) -> Result<String, Failure> {
    let store = &ctx.store;
    let done = match on {
        true => suspension::suspend(store, username).await,
        false => suspension::unsuspend(store, username).await,
    };
    match done {
        Ok(record) => match (on, record.suspended) {
            (true, Some(since)) => Ok(format!(
                "{username} is suspended since {since}; every token and web session of it is revoked"
            )),
            _ => Ok(format!("{username} is not suspended")),
        },
        Err(ActorError::NotFound(_)) => Err(no_account(username)),
        Err(e) => Err(Failure::other(e)),
    }
}
