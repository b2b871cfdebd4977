//! `orchard::cli::run`: what the binary does with its parsed command line. `serve` serves; an
//! admin command goes to the running server through its admin socket when one answers there,
//! and otherwise runs on the stopped instance's store. A store held by a server whose socket
//! does not answer is said so, plainly. `backup` goes the same way; `restore` and `check` work
//! on files only.

use super::args::{admin_argv, AdminCommand, Cli, Command};
use super::client::{self, Reached};
use super::context::Context;
use super::protocol::{Request, Response, REFUSED};
use crate::settings::Settings;
use std::path::Path;
use std::process::ExitCode;

/// Runs the command line `cli`, parsed from `args` (the arguments, the binary's name excluded).
pub fn run(cli: Cli, args: &[String]) -> ExitCode {
    match cli.command {
        Command::Serve { settings } => super::serve::serve(&settings),
        Command::Admin { settings, command } => {
            let response = admin(&settings, command, admin_argv(args));
            response.print();
            ExitCode::from(response.status)
        }
        Command::Backup { settings, to } => {
            // The server writes the archive: it gets an absolute path.
            let to = std::env::current_dir().map_or(to.clone(), |d| d.join(&to));
            let argv = vec!["backup".into(), "--to".into(), to.display().to_string()];
            let response = admin(&settings, AdminCommand::Backup { to }, argv);
            response.print();
            ExitCode::from(response.status)
        }
        Command::Restore { from, to } => ExitCode::from(super::backup::restore(&from, &to)),
        Command::Check { settings, data } => ExitCode::from(super::backup::check(settings, data)),
    }
}

fn admin(path: &Path, command: AdminCommand, argv: Vec<String>) -> Response {
    let settings = match Settings::load(path) {
        Ok(s) => s,
        Err(e) => return Response::failed(REFUSED, e),
    };
    let password = match command.password_source() {
        Some(file) => match super::admin::read_password(file) {
            Ok(p) => Some(p),
            Err(f) => return Response::failed(f.status, f.message),
        },
        None => None,
    };
    let socket = settings.admin.socket_path(&settings.storage);
    let request = Request {
        argv,
        cwd: std::env::current_dir()
            .map(|d| d.display().to_string())
            .unwrap_or_default(),
        password,
    };
    match client::send(&socket, &request) {
        Ok(Reached::Answered(response)) => response,
        Ok(Reached::NoServer(why)) => on_stopped(settings, command, request.password, why),
        Err(f) => Response::failed(f.status, f.message),
    }
}

/// Runs the command on the store of a stopped instance.
fn on_stopped(
    settings: Settings,
    command: AdminCommand,
    password: Option<String>,
    why: &str,
) -> Response {
    let socket = settings.admin.socket_path(&settings.storage);
    let dir = settings.storage.path.clone();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return Response::failed(1, format!("cannot start a runtime: {e}")),
    };
    runtime.block_on(async move {
        let ctx = match Context::stopped(settings) {
            Ok(c) => c,
            Err(f) if f.locked => {
                return Response::failed(
                    REFUSED,
                    format!(
                        "the instance at {} is running but its admin socket {} does not answer \
                         ({why}); check [admin] socket, or restart the server",
                        dir.display(),
                        socket.display()
                    ),
                )
            }
            Err(f) => return Response::failed(f.status, f.message),
        };
        let response = super::dispatch::execute(&ctx, command, password).await;
        if let Err(e) = ctx.store.flush().await {
            return Response::failed(1, format!("flushing the store failed: {e}"));
        }
        response
    })
}
