//! The `orchard` command: `orchard serve --settings PATH`.

use clap::{Parser, Subcommand};
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve { settings } => serve(&settings),
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
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let listeners = match Listeners::bind(&settings) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("orchard: {e}");
            return ExitCode::from(1);
        }
    };
    let public_url = settings.public_url.clone();
    let system = actix_rt::System::new();
    let result = system.block_on(orchard::server::run(settings, listeners, true, |s| {
        println!(
            "orchard: HTTP listening on http://{} (public URL {})",
            s.http_addr, public_url
        );
    }));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("orchard: {e}");
            ExitCode::from(e.exit_status())
        }
    }
}
