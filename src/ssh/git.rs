//! One git session over an SSH channel: hands the command to the Repository actor (which checks
//! access and runs git) and pumps bytes between the channel and the actor's `GitIo`, then sends
//! the exit status, EOF and close; a push or clone that exits 0 is counted. Runs as its own task,
//! never inside the russh handler.

use super::command::GitService;
use super::context::SshContext;
use crate::metrics::Transport;
use actors::audience::Reader;
use actors::git_io::{self, GitIoClient};
use actors::git_process::InputLimit;
use actors::kinds::repository_git::{ReceivePack, UploadPack};
use actors::kinds::repository_visibility::MayRead;
use actors::repository::Repository;
use actors::{ActorError, ActorRef};
use russh::server::Msg;
use russh::{Channel, ChannelMsg, ChannelReadHalf, ChannelWriteHalf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, watch};

/// Extra time beyond `push_timeout` before this side gives up waiting for the actor.
const GRACE: Duration = Duration::from_secs(30);

/// Runs the session to its end. `user` is the authenticated person (local or remote).
pub async fn run(
    ctx: Arc<SshContext>,
    user: url::Url,
    service: GitService,
    repo: ActorRef,
    channel: Channel<Msg>,
) {
    let (input, output) = channel.split();
    let code = match start(&ctx, &user, service, &repo).await {
        Ok((client, done)) => pump(&ctx, input, &output, client, done).await,
        Err(message) => {
            let _ = output
                .extended_data_bytes(1, format!("orchard: {message}\n").into_bytes())
                .await;
            1
        }
    };
    tracing::info!(%user, service = service.as_str(), repository = %repo.id, exit = code, "SSH git command ended");
    if code == 0 {
        match service {
            GitService::ReceivePack => ctx.metrics.git_push(Transport::Ssh),
            GitService::UploadPack => ctx.metrics.git_clone(Transport::Ssh),
        }
    }
    let _ = output.exit_status(u32::try_from(code).unwrap_or(255)).await;
    let _ = output.eof().await;
    let _ = output.close().await;
}

type Done = oneshot::Receiver<Result<i32, ActorError>>;

/// The message for a local person whose account is suspended: asked before every git command,
/// so a connection opened before the suspension runs nothing after it.
fn refuse_suspended(ctx: &SshContext, user: &url::Url) -> Result<(), String> {
    let Some(r) = ctx.urls.parse_actor(user) else {
        return Ok(());
    };
    match actors::data::suspension::is_suspended_actor(ctx.registry.store(), &r) {
        Ok(false) => Ok(()),
        Ok(true) => Err(format!(
            "{}: the account {} is suspended; nothing was run",
            actors::data::suspension::SUSPENDED,
            r.id
        )),
        Err(e) => Err(client_message(&e)),
    }
}

/// Asks the Repository actor to run the service; the error is a message for the client.
async fn start(
    ctx: &SshContext,
    user: &url::Url,
    service: GitService,
    repo: &ActorRef,
) -> Result<(GitIoClient, Done), String> {
    refuse_suspended(ctx, user)?;
    if service == GitService::ReceivePack {
        // Before receive-pack runs: nothing is written while the storage is almost full.
        ctx.disk
            .check()
            .map_err(|e| format!("push refused: {e}; nothing was changed"))?;
    }
    match ctx.registry.store().actor_exists(repo) {
        Ok(true) => {}
        Ok(false) => match actors::data::tombstones::is_deleted(ctx.registry.store(), repo) {
            Ok(true) => return Err(format!("repository {} was deleted", repo.id)),
            _ => return Err(format!("no repository /repos/{}", repo.id)),
        },
        Err(e) => return Err(client_message(&e)),
    }
    let person = user.clone();
    let addr = ctx
        .registry
        .get::<Repository>(&repo.id)
        .await
        .map_err(|e| client_message(&e))?;
    let may_read = MayRead {
        reader: Reader::Actor(person.clone()),
    };
    if !addr.send(may_read).await.unwrap_or(false) {
        // A private repository this person may not read: as if there were none.
        return Err(format!("no repository /repos/{}", repo.id));
    }
    let (io, client) = git_io::pair();
    let (done_tx, done) = oneshot::channel();
    // do_send, not send: a client that disconnects must not cancel a push.
    match service {
        GitService::ReceivePack => addr.do_send(ReceivePack {
            pusher: person,
            io,
            done: done_tx,
            max_input: Some(push_limit(&ctx.limits)),
        }),
        GitService::UploadPack => addr.do_send(UploadPack {
            who: Some(person),
            io,
            done: done_tx,
            options: Default::default(),
        }),
    }
    Ok((client, done))
}

/// `[ssh] max_push_mb`, and what a client sending more is told.
fn push_limit(limits: &super::context::SshLimits) -> InputLimit {
    InputLimit {
        bytes: limits.max_push_bytes,
        message: format!(
            "orchard: push refused: larger than {} MiB ([ssh] max_push_mb); nothing was changed\n",
            limits.max_push_mb
        ),
    }
}

/// Copies bytes both ways until the actor answers and its output is drained; the exit code.
async fn pump(
    ctx: &SshContext,
    input: ChannelReadHalf,
    output: &ChannelWriteHalf<Msg>,
    client: GitIoClient,
    mut done: Done,
) -> i32 {
    let GitIoClient {
        stdin,
        mut stdout,
        mut stderr,
    } = client;
    let (closed_tx, mut closed) = watch::channel(false);
    let forward = tokio::spawn(forward_input(input, stdin, closed_tx));
    let deadline = tokio::time::sleep(ctx.push_timeout.saturating_add(GRACE));
    tokio::pin!(deadline);
    let (mut out_open, mut err_open) = (true, true);
    let mut answer: Option<Result<i32, String>> = None;
    // Once the client is gone, output is still drained so the actor can finish.
    let mut client_gone = false;
    while out_open || err_open || answer.is_none() {
        let chunk = tokio::select! {
            chunk = stdout.recv(), if out_open => {
                out_open = chunk.is_some();
                chunk.map(|c| (None, c))
            }
            chunk = stderr.recv(), if err_open => {
                err_open = chunk.is_some();
                chunk.map(|c| (Some(1), c))
            }
            result = &mut done, if answer.is_none() => {
                answer = Some(match result {
                    Ok(Ok(code)) => Ok(code),
                    Ok(Err(e)) => Err(client_message(&e)),
                    Err(_) => Err("the repository stopped before answering".into()),
                });
                None
            }
            _ = &mut deadline => {
                answer.get_or_insert_with(|| Err("timed out".into()));
                break;
            }
        };
        if let Some((ext, bytes)) = chunk {
            if !client_gone {
                client_gone = !write(output, ext, bytes, &mut closed).await;
            }
        }
        if answer.is_some() {
            // The actor has answered: its ends close soon; do not wait for them forever.
            deadline
                .as_mut()
                .reset(tokio::time::Instant::now() + Duration::from_secs(5));
        }
    }
    forward.abort();
    exit_code(answer, client_gone, output, &mut closed).await
}

/// The session's exit code; a failure is told to the client (if it is still there) on stderr.
async fn exit_code(
    answer: Option<Result<i32, String>>,
    client_gone: bool,
    output: &ChannelWriteHalf<Msg>,
    closed: &mut watch::Receiver<bool>,
) -> i32 {
    match answer {
        Some(Ok(code)) => code,
        Some(Err(message)) => {
            if !client_gone {
                let text = format!("orchard: {message}\n").into_bytes();
                write(output, Some(1), text, closed).await;
            }
            1
        }
        None => 1,
    }
}

/// Writes to the client (stdout, or stderr with `ext` 1), waiting for the SSH window; false when
/// the channel or the connection is gone.
async fn write(
    output: &ChannelWriteHalf<Msg>,
    ext: Option<u32>,
    bytes: Vec<u8>,
    closed: &mut watch::Receiver<bool>,
) -> bool {
    if *closed.borrow() {
        return false;
    }
    let sent = async {
        match ext {
            None => output.data_bytes(bytes).await,
            Some(ext) => output.extended_data_bytes(ext, bytes).await,
        }
    };
    // A write waiting for window space is never woken when the connection drops: race it.
    tokio::select! {
        result = sent => result.is_ok(),
        _ = closed.wait_for(|c| *c) => false,
    }
}

/// Forwards channel data to git's stdin; EOF (or close) from the client ends git's input. Keeps
/// draining the channel after git stops reading, so the SSH session never stalls on it. Sets
/// `closed` when the channel is closed or the connection is gone.
async fn forward_input(
    mut input: ChannelReadHalf,
    stdin: mpsc::Sender<Vec<u8>>,
    closed: watch::Sender<bool>,
) {
    let mut stdin = Some(stdin);
    while let Some(msg) = input.wait().await {
        match msg {
            ChannelMsg::Data { data } => {
                if let Some(tx) = &stdin {
                    if tx.send(data.to_vec()).await.is_err() {
                        stdin = None;
                    }
                }
            }
            ChannelMsg::Eof => stdin = None,
            ChannelMsg::Close => break,
            _ => {}
        }
    }
    let _ = closed.send(true);
}

/// What the client may be told about a failure; internal details are only logged.
fn client_message(e: &ActorError) -> String {
    match e {
        ActorError::Forbidden(m) | ActorError::Invalid(m) | ActorError::Conflict(m) => m.clone(),
        ActorError::NotFound(_) | ActorError::Unauthorized => e.to_string(),
        ActorError::Mailbox(_) => "the repository is busy; retry later".into(),
        ActorError::Task(_) => {
            tracing::error!(error = %e, "SSH git session failed");
            "temporarily unavailable; retry later".into()
        }
        _ => {
            tracing::error!(error = %e, "SSH git session failed");
            "internal error".into()
        }
    }
}
