//! Running `git receive-pack` / `git upload-pack` as a child process wired to a `GitIo`, with a
//! time limit and an optional limit on what the client may send (a push's size). The one place
//! git services are spawned, for SSH and smart HTTP alike (a client that goes away closes its
//! output channel, which ends git's stdout: git exits on the broken pipe).

use crate::base::error::{ActorError, Result};
use crate::git_io::GitIo;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::{mpsc, oneshot};

/// How long git may take to exit once its input was cut at the limit (it should at once: the
/// pack it reads ends early), before it is killed.
const REFUSED_GRACE: Duration = Duration::from_secs(10);

/// Exit code of a session refused at the input limit.
pub const REFUSED: i32 = 1;

/// The most bytes a client may send the child (a push: its ref commands and pack), and the
/// line the client is told on stderr when it sends more.
#[derive(Debug, Clone)]
pub struct InputLimit {
    pub bytes: u64,
    pub message: String,
}

/// What a transport adds to a git service's command line: smart HTTP's `--stateless-rpc` (and
/// `--advertise-refs`) and the client's `GIT_PROTOCOL` (checked by the transport). SSH adds
/// nothing.
#[derive(Debug, Clone, Default)]
pub struct GitOptions {
    pub args: Vec<String>,
    pub protocol: Option<String>,
}

/// `run_git_with` without options.
pub async fn run_git(
    service: &str,
    dir: PathBuf,
    io: GitIo,
    timeout: Duration,
    limit: Option<InputLimit>,
) -> Result<i32> {
    run_git_with(service, &GitOptions::default(), dir, io, timeout, limit).await
}

/// Runs a git service as a child process wired to `io`; answers its exit code. A child still
/// running after `timeout` is killed (exit code 124). Beyond `limit`, the child's input is cut
/// (so `git receive-pack` sees a truncated pack, updates nothing and removes its quarantine),
/// the client is told `limit.message`, and the exit code is `REFUSED`.
pub async fn run_git_with(
    service: &str,
    options: &GitOptions,
    dir: PathBuf,
    io: GitIo,
    timeout: Duration,
    limit: Option<InputLimit>,
) -> Result<i32> {
    let mut child = command(service, options, &dir)
        .spawn()
        .map_err(|e| ActorError::Task(format!("cannot run git {service}: {e}")))?;
    let (stdin, stdout, stderr) =
        match (child.stdin.take(), child.stdout.take(), child.stderr.take()) {
            (Some(i), Some(o), Some(e)) => (i, o, e),
            _ => return Err(ActorError::Task("git child has no pipes".into())),
        };
    let GitIo {
        stdin: from_client,
        stdout: to_client,
        stderr: err_to_client,
    } = io;
    let (refused_tx, mut refused_rx) = oneshot::channel();
    let feed = tokio::spawn(feed(
        from_client,
        stdin,
        limit.map(|l| (l, err_to_client.clone(), refused_tx)),
    ));
    let out = tokio::spawn(forward(stdout, to_client, 64 * 1024));
    let err = tokio::spawn(forward(stderr, err_to_client, 8 * 1024));
    let mut deadline = tokio::time::Instant::now() + timeout;
    let mut refused = false;
    let status = loop {
        let event = tokio::select! {
            status = child.wait() => Event::Exited(status),
            _ = tokio::time::sleep_until(deadline) => Event::Deadline,
            Ok(()) = &mut refused_rx, if !refused => Event::Refused,
        };
        match event {
            Event::Exited(Ok(status)) => break status.code().unwrap_or(128),
            Event::Exited(Err(e)) => return Err(ActorError::Task(format!("git {service}: {e}"))),
            Event::Deadline => {
                if !refused {
                    tracing::warn!(service, "git timed out; killing it");
                }
                let _ = child.kill().await;
                break 124;
            }
            Event::Refused => {
                refused = true;
                deadline = deadline.min(tokio::time::Instant::now() + REFUSED_GRACE);
            }
        }
    };
    feed.abort();
    let _ = out.await;
    let _ = err.await;
    Ok(if refused { REFUSED } else { status })
}

/// `git <service> [options] <dir>`, its three pipes captured, killed when dropped.
fn command(service: &str, options: &GitOptions, dir: &std::path::Path) -> tokio::process::Command {
    let mut command = tokio::process::Command::new("git");
    command
        .arg(service)
        .args(&options.args)
        .arg(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(p) = &options.protocol {
        command.env("GIT_PROTOCOL", p);
    }
    command
}

/// Copies what git writes to the client until git closes it or the client is gone (then git's
/// pipe closes: a git still writing ends on the broken pipe).
async fn forward(
    mut from_git: impl tokio::io::AsyncRead + Unpin,
    to_client: mpsc::Sender<Vec<u8>>,
    chunk: usize,
) {
    let mut buf = vec![0u8; chunk];
    while let Ok(n) = from_git.read(&mut buf).await {
        if n == 0 || to_client.send(buf[..n].to_vec()).await.is_err() {
            break;
        }
    }
}

enum Event {
    Exited(std::io::Result<std::process::ExitStatus>),
    Deadline,
    Refused,
}

/// Copies the client's bytes to git's stdin; with a limit, counts them and, at the first chunk
/// that would go beyond it, tells the client why, signals `refused` and closes git's input.
async fn feed(
    mut from_client: mpsc::Receiver<Vec<u8>>,
    mut stdin: tokio::process::ChildStdin,
    mut limit: Option<(InputLimit, mpsc::Sender<Vec<u8>>, oneshot::Sender<()>)>,
) {
    let mut sent: u64 = 0;
    while let Some(chunk) = from_client.recv().await {
        sent = sent.saturating_add(chunk.len() as u64);
        if limit.as_ref().is_some_and(|(l, _, _)| sent > l.bytes) {
            if let Some((limit, to_client, refused)) = limit.take() {
                tracing::info!(limit = limit.bytes, "git input beyond its limit; refused");
                let _ = to_client.send(limit.message.into_bytes()).await;
                let _ = refused.send(());
            }
            break;
        }
        if stdin.write_all(&chunk).await.is_err() {
            break;
        }
    }
    let _ = stdin.shutdown().await;
}
