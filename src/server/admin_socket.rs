//! The admin socket (`[admin] socket`): a Unix socket, mode 0600, on which the running server
//! runs `orchard admin` commands against its live state (`cli::dispatch` on a `Context` with
//! `live`). Only peers whose uid (SO_PEERCRED) is the server's or root are served; each
//! connection sends one JSON request line of at most 64 KiB within 10 s and gets one JSON
//! response line (`cli::protocol`); at most 4 connections are served at once. A stale socket
//! file (left by a crash) is replaced at start; the file is removed at shutdown.

use crate::cli::args::AdminLine;
use crate::cli::context::{Context, Live};
use crate::cli::protocol::{
    Request, Response, DEADLINE, MAX_CONNECTIONS, MAX_REQUEST_BYTES, REFUSED,
};
use crate::error::{Error, Result};
use crate::settings::Settings;
use clap::Parser;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::Semaphore;

/// The listening admin socket.
pub struct AdminSocket {
    path: PathBuf,
    task: actix_rt::task::JoinHandle<()>,
}

impl Drop for AdminSocket {
    /// Stops accepting and removes the socket file.
    fn drop(&mut self) {
        self.task.abort();
        if let Err(e) = std::fs::remove_file(&self.path) {
            tracing::warn!(path = %self.path.display(), error = %e, "removing the admin socket failed");
        }
    }
}

fn io_error(path: &Path, what: &str, e: impl std::fmt::Display) -> Error {
    Error::Io(std::io::Error::other(format!(
        "{what} the admin socket {} ([admin] socket): {e}",
        path.display()
    )))
}

/// Removes a socket file nothing listens on (a crash's leftover); refuses to remove anything
/// else, or a socket another process answers on.
fn replace_stale(path: &Path) -> Result<()> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    if !meta.file_type().is_socket() {
        return Err(io_error(
            path,
            "cannot create",
            "the path exists and is not a socket",
        ));
    }
    if std::os::unix::net::UnixStream::connect(path).is_ok() {
        return Err(io_error(
            path,
            "cannot create",
            "another process answers on it",
        ));
    }
    tracing::info!(path = %path.display(), "replacing a stale admin socket");
    std::fs::remove_file(path).map_err(|e| io_error(path, "cannot replace", e))
}

/// Binds the socket (mode 0600) and serves the server's `live` parts on it in a task of its
/// own. Inside an actix System.
pub fn start(settings: &Arc<Settings>, live: Live) -> Result<AdminSocket> {
    let ctx = Context {
        settings: settings.clone(),
        store: live.registry.store().clone(),
        live: Some(live),
    };
    let path = settings.admin.socket_path(&settings.storage);
    replace_stale(&path)?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| io_error(&path, "cannot create", e))?;
    }
    let listener = UnixListener::bind(&path).map_err(|e| io_error(&path, "cannot listen on", e))?;
    // Until the mode is set the peer check below still refuses other users.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
        .map_err(|e| io_error(&path, "cannot restrict", e))?;
    tracing::info!(path = %path.display(), "admin socket listening");
    let task = actix_rt::spawn(accept(listener, Arc::new(ctx)));
    Ok(AdminSocket { path, task })
}

async fn accept(listener: UnixListener, ctx: Arc<Context>) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    // SAFETY: geteuid has no preconditions and cannot fail.
    let own_uid = unsafe { libc::geteuid() };
    loop {
        let mut stream = match listener.accept().await {
            Ok((s, _)) => s,
            Err(e) => {
                tracing::warn!(error = %e, "accepting on the admin socket failed");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                continue;
            }
        };
        let (permit, ctx) = (slots.clone().try_acquire_owned(), ctx.clone());
        actix_rt::spawn(async move {
            let response = match permit {
                Ok(_permit) => serve_one(&mut stream, &ctx, own_uid).await,
                Err(_) => Response::failed(
                    REFUSED,
                    format!("the admin socket is busy ({MAX_CONNECTIONS} commands running); retry"),
                ),
            };
            answer(stream, response).await;
        });
    }
}

/// Checks the peer, reads its request and runs it.
async fn serve_one(stream: &mut UnixStream, ctx: &Context, own_uid: u32) -> Response {
    match stream.peer_cred() {
        Ok(c) if c.uid() == own_uid || c.uid() == 0 => {}
        Ok(c) => {
            tracing::warn!(
                uid = c.uid(),
                "admin socket: a peer of another user was refused"
            );
            return Response::failed(
                REFUSED,
                format!(
                    "the admin socket serves only its server's user (uid {own_uid}) and root, \
                     not uid {}",
                    c.uid()
                ),
            );
        }
        Err(e) => return Response::failed(REFUSED, format!("unknown peer: {e}")),
    }
    let request = match tokio::time::timeout(DEADLINE, read_request(stream)).await {
        Err(_) => return Response::failed(REFUSED, "no request line within 10 s"),
        Ok(Err(refusal)) => return refusal,
        Ok(Ok(r)) => r,
    };
    let line = match AdminLine::try_parse_from(&request.argv) {
        Ok(l) => l,
        Err(e) => return Response::failed(REFUSED, e.to_string().trim_end()),
    };
    tracing::info!(argv = ?request.argv, cwd = %request.cwd, "admin command");
    crate::cli::dispatch::execute(ctx, line.command, request.password).await
}

/// One request line of at most `MAX_REQUEST_BYTES`.
async fn read_request(stream: &mut UnixStream) -> std::result::Result<Request, Response> {
    let mut reader = BufReader::new((&mut *stream).take(MAX_REQUEST_BYTES as u64 + 1));
    let mut line = Vec::new();
    if let Err(e) = reader.read_until(b'\n', &mut line).await {
        return Err(Response::failed(
            REFUSED,
            format!("reading the request: {e}"),
        ));
    }
    if line.last() == Some(&b'\n') {
        line.pop();
    }
    if line.len() > MAX_REQUEST_BYTES {
        return Err(Response::failed(
            REFUSED,
            format!(
                "the request is larger than {} KiB; nothing was run",
                MAX_REQUEST_BYTES / 1024
            ),
        ));
    }
    serde_json::from_slice(&line)
        .map_err(|e| Response::failed(REFUSED, format!("malformed request ({e}); nothing was run")))
}

/// Writes the response line (within the deadline) and closes.
async fn answer(mut stream: UnixStream, response: Response) {
    let Ok(mut line) = serde_json::to_vec(&response) else {
        return;
    };
    line.push(b'\n');
    let write = async {
        stream.write_all(&line).await?;
        stream.shutdown().await
    };
    if let Ok(Err(e)) = tokio::time::timeout(DEADLINE, write).await {
        tracing::debug!(error = %e, "writing an admin socket answer failed");
    }
}
