//! Smart-HTTP `git upload-pack` with bounded resources. The Repository actor runs git
//! (`actors::kinds::repository_git::UploadPack`, as for an SSH clone: started in mailbox order, run beside
//! it); this side holds one of `[http] max_concurrent_clones` slots (a request waits up to
//! `[http] clone_wait_secs` for one, then is answered 503 with Retry-After) and streams git's
//! output to the client as git writes it, never collected whole: memory per clone is a few
//! channel chunks, whatever the repository's size. Git ends when the client goes away (the
//! response stream is dropped, so git's output has nowhere to go) or after
//! `[ssh] push_timeout_secs`.

use crate::error::{json_error, Error, Result};
use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::HttpResponse;
use actors::git_io::{self, GitIoClient};
use actors::git_process::GitOptions;
use actors::kinds::repository_git::UploadPack as RunUploadPack;
use actors::repository::Repository;
use actors::Registry;
use futures_util::Stream;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, OwnedSemaphorePermit, Semaphore};
use tokio::time::Sleep;

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
    pub registry: &'a Registry,
    /// The repository's id.
    pub repo: &'a str,
    /// Who asks (a token's person or a signer), for a private repository's check.
    pub who: Option<url::Url>,
    /// `--stateless-rpc`, and `--advertise-refs` for the advertisement.
    pub args: &'a [&'a str],
    /// The client's `GIT_PROTOCOL`, checked.
    pub protocol: Option<String>,
    /// The client's request (wants and haves), fed to git's stdin.
    pub input: Bytes,
    pub timeout: Duration,
}

type Done = oneshot::Receiver<actors::error::Result<i32>>;

/// Has the Repository actor run git, holding `slot` until its output is sent. Waits for git's
/// first output: when git fails before writing anything, the request is refused (400);
/// otherwise the output is streamed, after `prefix`.
pub async fn upload_pack(
    run: UploadPack<'_>,
    slot: OwnedSemaphorePermit,
    prefix: &'static [u8],
) -> Result<GitOutput> {
    let addr = run.registry.get::<Repository>(run.repo).await?;
    let (io, client) = git_io::pair();
    let (done_tx, done) = oneshot::channel();
    let options = GitOptions {
        args: run.args.iter().map(|a| a.to_string()).collect(),
        protocol: run.protocol,
    };
    // do_send: the actor answers on `done`; a client that goes away ends git through its output.
    addr.do_send(RunUploadPack {
        who: run.who,
        io,
        done: done_tx,
        options,
    });
    let GitIoClient {
        stdin,
        mut stdout,
        stderr,
    } = client;
    if !run.input.is_empty() {
        // Dropping `stdin` after the request is git's end of input.
        let _ = stdin.send(run.input.to_vec()).await;
    }
    drop(stdin);
    tokio::spawn(log_stderr(stderr));
    let first = first_output(&mut stdout, done, run.timeout).await?;
    let mut head = prefix.to_vec();
    head.extend_from_slice(&first);
    Ok(GitOutput {
        head: Some(Bytes::from(head)),
        stdout,
        deadline: Box::pin(tokio::time::sleep(run.timeout)),
        _slot: slot,
    })
}

/// Git's first output; empty when git exited successfully without any, 400 when it failed
/// before writing anything.
async fn first_output(
    stdout: &mut mpsc::Receiver<Vec<u8>>,
    done: Done,
    timeout: Duration,
) -> Result<Vec<u8>> {
    let timed_out = || Error::Io(std::io::Error::other("git upload-pack timed out"));
    let first = tokio::time::timeout(timeout, stdout.recv())
        .await
        .map_err(|_| timed_out())?;
    if let Some(first) = first {
        return Ok(first);
    }
    let exit = tokio::time::timeout(timeout, done)
        .await
        .map_err(|_| timed_out())?
        .map_err(|_| {
            actors::ActorError::Task("the repository stopped before answering".into())
        })??;
    if exit != 0 {
        return Err(Error::BadRequest(
            "git upload-pack refused the request".into(),
        ));
    }
    Ok(Vec::new())
}

/// Logs what git wrote on stderr (at most `STDERR_KEPT` bytes of it), if anything.
async fn log_stderr(mut stderr: mpsc::Receiver<Vec<u8>>) {
    let mut kept = Vec::new();
    while let Some(chunk) = stderr.recv().await {
        let room = STDERR_KEPT.saturating_sub(kept.len());
        kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    if !kept.is_empty() {
        tracing::warn!(stderr = %String::from_utf8_lossy(&kept), "git upload-pack wrote to stderr");
    }
}

/// git's output as a response body. Dropping it (the client went away, or the body is done)
/// closes git's output, which ends git if it still runs, and frees the slot.
pub struct GitOutput {
    head: Option<Bytes>,
    stdout: mpsc::Receiver<Vec<u8>>,
    deadline: Pin<Box<Sleep>>,
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
        match this.stdout.poll_recv(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Ready(Some(chunk)) => Poll::Ready(Some(Ok(Bytes::from(chunk)))),
        }
    }
}
