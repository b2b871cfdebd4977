//! Running `git upload-pack` for smart HTTP with bounded resources: at most
//! `[http] max_concurrent_clones` git processes at once (a request waits up to
//! `[http] clone_wait_secs` for a slot, then is answered 503 with Retry-After), and git's output
//! streamed to the client as git writes it, never collected whole: memory per clone is one read
//! buffer, whatever the repository's size. Git is killed when the client goes away (the
//! response stream is dropped) or after `[ssh] push_timeout_secs`.

use crate::error::{json_error, Error, Result};
use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::HttpResponse;
use futures_util::Stream;
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::process::Stdio;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt, ReadBuf};
use tokio::process::{Child, ChildStdout};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Sleep;

/// Bytes read from git at a time (one buffer per clone).
const CHUNK: usize = 64 * 1024;
/// Most of git's stderr kept for the log.
const STDERR_KEPT: usize = 2048;
/// Retry-After of a 503 when every slot stays taken.
const RETRY_AFTER_SECS: u64 = 10;

/// The slots for smart-HTTP git processes.
pub struct CloneSlots {
    slots: Arc<Semaphore>,
    wait: Duration,
}

impl CloneSlots {
    pub fn new(max: usize, wait: Duration) -> CloneSlots {
        CloneSlots {
            slots: Arc::new(Semaphore::new(max)),
            wait,
        }
    }

    /// A slot, waiting for one at most `clone_wait_secs`; else the 503 to answer.
    pub async fn acquire(&self) -> std::result::Result<OwnedSemaphorePermit, HttpResponse> {
        let slot = tokio::time::timeout(self.wait, self.slots.clone().acquire_owned()).await;
        match slot {
            Ok(Ok(permit)) => Ok(permit),
            _ => {
                tracing::warn!("all smart-HTTP git slots are taken ([http] max_concurrent_clones); answering 503");
                let mut res = json_error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    &format!("too many clones at once; retry in {RETRY_AFTER_SECS} s"),
                );
                res.headers_mut().insert(
                    actix_web::http::header::RETRY_AFTER,
                    actix_web::http::header::HeaderValue::from(RETRY_AFTER_SECS),
                );
                Err(res)
            }
        }
    }
}

/// What one `git upload-pack` run needs.
pub struct UploadPack<'a> {
    pub dir: &'a Path,
    /// `--stateless-rpc`, and `--advertise-refs` for the advertisement.
    pub args: &'a [&'a str],
    /// The client's `GIT_PROTOCOL`, checked.
    pub protocol: Option<String>,
    /// The client's request (wants and haves), fed to git's stdin.
    pub input: Bytes,
    pub timeout: Duration,
}

/// Starts git, holding `slot` until its output is sent. Waits for git's first output: when git
/// fails before writing anything, the request is refused (400); otherwise the output is streamed,
/// after `prefix`.
pub async fn upload_pack(
    run: UploadPack<'_>,
    slot: OwnedSemaphorePermit,
    prefix: &'static [u8],
) -> Result<GitOutput> {
    let mut cmd = tokio::process::Command::new("git");
    cmd.arg("upload-pack")
        .args(run.args)
        .arg(run.dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(p) = run.protocol {
        cmd.env("GIT_PROTOCOL", p);
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| Error::Io(std::io::Error::other(format!("cannot run git: {e}"))))?;
    let (Some(mut stdin), Some(mut stdout), Some(stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        return Err(Error::Io(std::io::Error::other("git child has no pipes")));
    };
    let input = run.input;
    tokio::spawn(async move {
        let _ = stdin.write_all(&input).await;
    });
    tokio::spawn(log_stderr(stderr));
    let deadline = Box::pin(tokio::time::sleep(run.timeout));
    let mut first = vec![0u8; CHUNK];
    let timed_out = || Error::Io(std::io::Error::other("git upload-pack timed out"));
    let n = tokio::time::timeout(run.timeout, stdout.read(&mut first))
        .await
        .map_err(|_| timed_out())??;
    if n == 0 {
        let status = tokio::time::timeout(run.timeout, child.wait())
            .await
            .map_err(|_| timed_out())??;
        if !status.success() {
            return Err(Error::BadRequest(
                "git upload-pack refused the request".into(),
            ));
        }
    }
    first.truncate(n);
    let mut head = prefix.to_vec();
    head.extend_from_slice(&first);
    Ok(GitOutput {
        head: Some(Bytes::from(head)),
        stdout,
        _child: child,
        deadline,
        buf: vec![0u8; CHUNK],
        _slot: slot,
    })
}

/// Logs what git wrote on stderr (at most `STDERR_KEPT` bytes of it), if anything.
async fn log_stderr(mut stderr: tokio::process::ChildStderr) {
    let mut kept = Vec::new();
    let mut buf = [0u8; 1024];
    while let Ok(n) = stderr.read(&mut buf).await {
        if n == 0 {
            break;
        }
        let room = STDERR_KEPT.saturating_sub(kept.len());
        kept.extend_from_slice(&buf[..n.min(room)]);
    }
    if !kept.is_empty() {
        tracing::warn!(stderr = %String::from_utf8_lossy(&kept), "git upload-pack wrote to stderr");
    }
}

/// git's output as a response body. Dropping it (the client went away, or the body is done)
/// kills git if it still runs and frees the slot.
pub struct GitOutput {
    head: Option<Bytes>,
    stdout: ChildStdout,
    /// Held so that dropping the body kills git (`kill_on_drop`).
    _child: Child,
    deadline: Pin<Box<Sleep>>,
    buf: Vec<u8>,
    _slot: OwnedSemaphorePermit,
}

impl GitOutput {
    /// The streaming 200 answer with this output as its body.
    pub fn respond(self, content_type: &str) -> HttpResponse {
        HttpResponse::Ok()
            .content_type(content_type)
            .insert_header(("Cache-Control", "no-cache"))
            .streaming(self)
    }
}

impl Stream for GitOutput {
    type Item = std::io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Some(head) = this.head.take() {
            return Poll::Ready(Some(Ok(head)));
        }
        if this.deadline.as_mut().poll(cx).is_ready() {
            tracing::warn!(
                "git upload-pack over HTTP timed out ([ssh] push_timeout_secs); ending it"
            );
            return Poll::Ready(None);
        }
        let mut buf = ReadBuf::new(&mut this.buf);
        match Pin::new(&mut this.stdout).poll_read(cx, &mut buf) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(e)) => Poll::Ready(Some(Err(e))),
            Poll::Ready(Ok(())) if buf.filled().is_empty() => Poll::Ready(None),
            Poll::Ready(Ok(())) => Poll::Ready(Some(Ok(Bytes::copy_from_slice(buf.filled())))),
        }
    }
}
