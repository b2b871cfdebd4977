//! The command line of the `orchard` binary (clap): `serve`, `admin` with its commands, and
//! `backup`, `restore`, `check`. The
//! admin socket parses a request's argv with `AdminLine`, the same commands without the binary
//! and `--settings`, so a command means the same through the socket and on a stopped instance.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Parser)]
#[command(
    name = "orchard",
    version,
    about = "A federated software forge server (ForgeFed)"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Runs the server.
    Serve {
        /// The settings file.
        #[arg(long, default_value = "settings.toml")]
        settings: PathBuf,
    },
    /// The operator's commands: through the running server's admin socket ([admin] socket),
    /// or on the data directory of a stopped instance.
    Admin {
        /// The settings file of the instance.
        #[arg(long, default_value = "settings.toml", global = true)]
        settings: PathBuf,
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Writes a backup archive of the instance (database and repositories), through the running
    /// server's admin socket or from a stopped instance's data.
    Backup {
        /// The settings file of the instance.
        #[arg(long, default_value = "settings.toml")]
        settings: PathBuf,
        /// The archive to write (a new file; it holds private keys: keep it safe).
        #[arg(long)]
        to: PathBuf,
    },
    /// Restores a backup archive into a new or empty data directory, then checks it.
    Restore {
        /// The archive.
        #[arg(long)]
        from: PathBuf,
        /// The data directory to create (`db` and `repos` inside).
        #[arg(long)]
        to: PathBuf,
    },
    /// Checks a stopped instance's data: records, keys, and `git fsck` of every repository.
    Check {
        /// The settings file of the instance.
        #[arg(long, conflicts_with = "data")]
        settings: Option<PathBuf>,
        /// A data directory as `orchard restore` writes it (`db` and `repos` inside).
        #[arg(long)]
        data: Option<PathBuf>,
    },
}

/// `orchard admin`'s commands alone: what the admin socket parses a request's argv with.
#[derive(Parser)]
#[command(name = "orchard admin", no_binary_name = true)]
pub struct AdminLine {
    #[command(subcommand)]
    pub command: AdminCommand,
}

#[derive(Subcommand, Debug, Clone)]
pub enum AdminCommand {
    /// Creates an account (also a name reserved by [accounts] admins or factory_creators). The
    /// password is the first line of standard input, or of --password-file.
    CreateAccount {
        username: String,
        /// A file whose first line is the password.
        #[arg(long)]
        password_file: Option<PathBuf>,
    },
    /// Gives an existing account a role.
    Grant {
        username: String,
        #[arg(long, value_enum, default_value = "admin")]
        role: RoleArg,
    },
    /// Takes a role away from an account.
    Revoke {
        username: String,
        #[arg(long, value_enum, default_value = "admin")]
        role: RoleArg,
    },
    /// Lists the accounts: username, roles, creation time, SSH keys.
    ListAccounts {
        /// One JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Sets a new password (first line of standard input, or of --password-file) and revokes
    /// every token and web session of the account.
    ResetPassword {
        username: String,
        /// A file whose first line is the new password.
        #[arg(long)]
        password_file: Option<PathBuf>,
    },
    /// Suspends an account: it cannot log in, push or send, every token and web session of it
    /// is revoked, and its Person answers 410 Gone to everyone.
    Suspend { username: String },
    /// Lifts an account's suspension (its old tokens stay revoked: the person logs in again).
    Unsuspend { username: String },
    /// Blocked remote hosts and actors (as the admin API's /api/v1/admin/blocks).
    #[command(subcommand)]
    Blocks(BlocksCommand),
    /// The delivery queue, per remote host.
    #[command(subcommand)]
    Delivery(DeliveryCommand),
    /// `orchard backup` as the admin socket carries it (an absolute path).
    #[command(hide = true)]
    Backup {
        #[arg(long)]
        to: PathBuf,
    },
}

#[derive(Subcommand, Debug, Clone)]
pub enum BlocksCommand {
    /// Lists the blocks (those of [federation] blocked_hosts included).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Blocks a host (`host` or `host:port`) or an actor (its IRI).
    Add {
        #[arg(value_name = "HOST_OR_ACTOR_IRI")]
        target: String,
    },
    /// Lifts a block.
    Remove {
        #[arg(value_name = "HOST_OR_ACTOR_IRI")]
        target: String,
    },
}

#[derive(Subcommand, Debug, Clone)]
pub enum DeliveryCommand {
    /// Per remote host: jobs pending, failing, the next attempt and the last error.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Makes every job for the host due now.
    Retry { host: String },
    /// Removes every job for the host.
    Drop { host: String },
}

/// A role on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RoleArg {
    /// The admin API (blocking remote hosts and actors).
    Admin,
    /// Creating Factories.
    FactoryCreator,
}

impl From<RoleArg> for actors::accounts::Role {
    fn from(r: RoleArg) -> Self {
        match r {
            RoleArg::Admin => actors::accounts::Role::Admin,
            RoleArg::FactoryCreator => actors::accounts::Role::FactoryCreator,
        }
    }
}

impl AdminCommand {
    /// Where the command's password comes from, when it takes one: `Some(None)` standard
    /// input, `Some(Some(file))` the file. The client reads it (never the server).
    pub fn password_source(&self) -> Option<Option<&Path>> {
        match self {
            AdminCommand::CreateAccount { password_file, .. }
            | AdminCommand::ResetPassword { password_file, .. } => Some(password_file.as_deref()),
            _ => None,
        }
    }
}

/// The arguments after `admin` without `--settings` and its value: the argv an admin socket
/// request carries. `args` is the whole command line, the binary's name excluded.
pub fn admin_argv(args: &[String]) -> Vec<String> {
    let after = args
        .iter()
        .position(|a| a == "admin")
        .map_or(&args[..0], |i| &args[i + 1..]);
    let mut out = Vec::new();
    let mut skip = false;
    for a in after {
        if std::mem::take(&mut skip) {
            continue;
        }
        if a == "--settings" {
            skip = true;
        } else if !a.starts_with("--settings=") {
            out.push(a.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_socket_argv_leaves_out_the_settings() {
        let args: Vec<String> = [
            "admin",
            "--settings",
            "s.toml",
            "blocks",
            "add",
            "h.example",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(admin_argv(&args), ["blocks", "add", "h.example"]);
        let args: Vec<String> = ["admin", "list-accounts", "--settings=x", "--json"]
            .map(String::from)
            .to_vec();
        assert_eq!(admin_argv(&args), ["list-accounts", "--json"]);
        let line = AdminLine::try_parse_from(["delivery", "retry", "b.example"]).unwrap();
        assert!(matches!(
            line.command,
            AdminCommand::Delivery(DeliveryCommand::Retry { .. })
        ));
    }
}
