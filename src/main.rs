//! The `orchard` command: `orchard serve --settings PATH`, and the operator's account commands
//! `orchard admin create-account|grant|revoke` (see `orchard::cli::admin`).

use clap::{Parser, Subcommand, ValueEnum};
use orchard::cli::admin as cli_admin;
use orchard::{Listeners, Settings};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "orchard",
    version,
    about = "A federated software forge server (ForgeFed)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the server.
    Serve {
        /// The settings file.
        #[arg(long, default_value = "settings.toml")]
        settings: PathBuf,
    },
    /// Account commands of the operator; run them while the server is stopped.
    Admin {
        /// The settings file of the instance.
        #[arg(long, default_value = "settings.toml", global = true)]
        settings: PathBuf,
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
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
}

/// A role on the command line.
#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve { settings } => serve(&settings),
        Command::Admin { settings, command } => admin(&settings, command),
    }
}

fn admin(path: &std::path::Path, command: AdminCommand) -> ExitCode {
    let settings = match Settings::load(path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("orchard: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("orchard: cannot start a runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let result = runtime.block_on(async {
        match command {
            AdminCommand::CreateAccount {
                username,
                password_file,
            } => {
                let password = cli_admin::read_password(password_file.as_deref())?;
                cli_admin::create_account(&settings, &username, &password).await
            }
            AdminCommand::Grant { username, role } => {
                cli_admin::set_role(&settings, &username, role.into(), true).await
            }
            AdminCommand::Revoke { username, role } => {
                cli_admin::set_role(&settings, &username, role.into(), false).await
            }
        }
    });
    match result {
        Ok(line) => {
            println!("orchard: {line}");
            ExitCode::SUCCESS
        }
        Err(f) => {
            eprintln!("orchard: {}", f.message);
            ExitCode::from(f.status)
        }
    }
}

fn serve(path: &std::path::Path) -> ExitCode {
    let settings = match Settings::load(path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("orchard: {e}");
            return ExitCode::from(2);
        }
    };
    orchard::logging::init(&settings.log);
    let format = settings.log.format;
    let listeners = match Listeners::bind(&settings) {
        Ok(l) => l,
        Err(e) => {
            orchard::logging::fatal(format, &e);
            return ExitCode::from(1);
        }
    };
    let public_url = settings.public_url.clone();
    let system = actix_rt::System::new();
    let result = system.block_on(orchard::server::run(settings, listeners, true, |s| {
        orchard::logging::started(format, s.http_addr, &public_url);
    }));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            orchard::logging::fatal(format, &e);
            ExitCode::from(e.exit_status())
        }
    }
}
