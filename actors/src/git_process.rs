//! Running `git receive-pack` / `git upload-pack` as a child process wired to a `GitIo`, with a
//! time limit.

use crate::error::{ActorError, Result};
use crate::git_io::GitIo;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Runs a git service as a child process wired to `io`; answers its exit code. A child still
/// running after `timeout` is killed (exit code 124).
pub async fn run_git(service: &str, dir: PathBuf, io: GitIo, timeout: Duration) -> Result<i32> {
    let mut child = tokio::process::Command::new("git")
        .arg(service)
        .arg(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| ActorError::Task(format!("cannot run git {service}: {e}")))?;
    let (mut stdin, mut stdout, mut stderr) =
        match (child.stdin.take(), child.stdout.take(), child.stderr.take()) {
            (Some(i), Some(o), Some(e)) => (i, o, e),
            _ => return Err(ActorError::Task("git child has no pipes".into())),
        };
    let GitIo {
        stdin: mut from_client,
        stdout: to_client,
        stderr: err_to_client,
    } = io;
    let feed = tokio::spawn(async move {
        while let Some(chunk) = from_client.recv().await {
            if stdin.write_all(&chunk).await.is_err() {
                break;
            }
        }
        let _ = stdin.shutdown().await;
    });
    let out = tokio::spawn(async move {
        let mut buf = vec![0u8; 64 * 1024];
        while let Ok(n) = stdout.read(&mut buf).await {
            if n == 0 || to_client.send(buf[..n].to_vec()).await.is_err() {
                break;
            }
        }
    });
    let err = tokio::spawn(async move {
        let mut buf = vec![0u8; 8 * 1024];
        while let Ok(n) = stderr.read(&mut buf).await {
            if n == 0 || err_to_client.send(buf[..n].to_vec()).await.is_err() {
                break;
            }
        }
    });
    let status = match tokio::time::timeout(timeout, child.wait()).await {
        Ok(Ok(status)) => status.code().unwrap_or(128),
        Ok(Err(e)) => return Err(ActorError::Task(format!("git {service}: {e}"))),
        Err(_) => {
            tracing::warn!(service, "git timed out; killing it");
            let _ = child.kill().await;
            124
        }
    };
    feed.abort();
    let _ = out.await;
    let _ = err.await;
    Ok(status)
}
