//! The `orchard` binary: parses the command line, sets up logging and hands over to
//! `orchard::cli::run` (`orchard serve`, `orchard admin ...`, `orchard backup|restore|check`; see
//! `orchard::cli::args`).

use clap::Parser;
use orchard::cli::args::Command;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let cli = orchard::cli::Cli::parse();
    init_logging(&cli.command);
    orchard::cli::run(cli, &args)
}

/// Logs filtered by RUST_LOG: the server's as `[log] format` says (`orchard::logging`, set up
/// by `orchard serve`), the admin commands' to standard error (by default `error`: their output
/// is their answer).
fn init_logging(command: &Command) {
    let filter = |default: &str| {
        tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default))
    };
    match command {
        // `orchard serve` sets up its logging from `[log]` once its settings are read.
        Command::Serve { .. } => {}
        _ => tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_env_filter(filter("error"))
            .init(),
    }
}
