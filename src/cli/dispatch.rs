//! Runs one admin command on a `Context`: the one place both transports (the command line on a
//! stopped instance, the admin socket in a running server) run the same command code. The
//! password is the one the client read; this code never reads files or standard input.

use super::admin::{create_account_in, set_role_in};
use super::args::{AdminCommand, BlocksCommand, DeliveryCommand};
use super::context::Context;
use super::failure::Failure;
use super::protocol::Response;
use super::{accounts, moderation};

/// Runs `command`; answers its exit status and output.
pub async fn execute(ctx: &Context, command: AdminCommand, password: Option<String>) -> Response {
    match run(ctx, command, password).await {
        Ok(output) => Response::ok(output),
        Err(f) => Response::failed(f.status, f.message),
    }
}

fn password(given: Option<String>) -> Result<String, Failure> {
    given.ok_or_else(|| Failure::refused("this command needs a password (none was given)"))
}

async fn run(
    ctx: &Context,
    command: AdminCommand,
    given: Option<String>,
) -> Result<String, Failure> {
    match command {
        AdminCommand::CreateAccount { username, .. } => {
            create_account_in(ctx, &username, &password(given)?).await
        }
        AdminCommand::Grant { username, role } => {
            set_role_in(ctx, &username, role.into(), true).await
        }
        AdminCommand::Revoke { username, role } => {
            set_role_in(ctx, &username, role.into(), false).await
        }
        AdminCommand::ListAccounts { json } => accounts::list(ctx, json),
        AdminCommand::ResetPassword { username, .. } => {
            accounts::reset_password(ctx, &username, &password(given)?).await
        }
        AdminCommand::Suspend { username } => accounts::set_suspended(ctx, &username, true).await,
        AdminCommand::Unsuspend { username } => {
            accounts::set_suspended(ctx, &username, false).await
        }
        AdminCommand::Blocks(b) => match b {
            BlocksCommand::List { json } => moderation::blocks_list(ctx, json),
            BlocksCommand::Add { target } => moderation::blocks_add(ctx, &target).await,
            BlocksCommand::Remove { target } => moderation::blocks_remove(ctx, &target).await,
        },
        AdminCommand::Delivery(d) => match d {
            DeliveryCommand::List { json } => moderation::delivery_list(ctx, json),
            DeliveryCommand::Retry { host } => moderation::delivery_retry(ctx, &host).await,
            DeliveryCommand::Drop { host } => moderation::delivery_drop(ctx, &host).await,
        },
        AdminCommand::Backup { to } => super::backup::backup_in(ctx, &to).await,
    }
}
