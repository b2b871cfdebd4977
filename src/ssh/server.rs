//! The SSH accept loop: admission of new connections (caps on unauthenticated ones, in
//! all and per client, with eviction of the biggest holder's oldest), the pre-authentication
//! deadline, and one task per connection running a
//! `handler::Connection`.

use super::admission::{Admission, Admitted, Refused};
use super::config::config;
use super::context::SshContext;
use super::deadline::PreAuthDeadline;
use super::fingerprint::fingerprint;
use super::handler::Connection;
use super::sessions::Sessions;
use russh::keys::PrivateKey;
use russh::server::Config;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

/// Serves SSH on `listener` until the task is dropped or aborted. Each connection runs as its
/// own task; git sessions outlive a disconnecting client so a push is never cut in half.
pub async fn serve(
    listener: std::net::TcpListener,
    host_key: PrivateKey,
    ctx: SshContext,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let addr = listener.local_addr()?;
    let host_fingerprint = fingerprint(host_key.public_key());
    let config = Arc::new(config(host_key));
    let admission = Admission::new(
        ctx.limits.max_unauthenticated,
        ctx.limits.max_unauthenticated_per_ip,
        Sessions::new(ctx.limits.max_sessions_per_user),
    );
    let ctx = Arc::new(ctx);
    let mut refusals = RefusalLog::default();
    tracing::info!(%addr, host_key = %host_fingerprint, "SSH server is serving");
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                // E.g. out of file descriptors: keep serving once some are freed.
                tracing::warn!(error = %e, "SSH accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        // Dropping the stream closes it: nothing is read from or written to a refused client.
        let admitted = match admission.admit(peer.ip()) {
            Ok(admitted) => admitted,
            Err(why) => {
                refusals.note(peer, Some(why));
                continue;
            }
        };
        if admitted.made_room.is_some() {
            refusals.note(peer, None);
        }
        let Admitted {
            pre_auth, eviction, ..
        } = admitted;
        let deadline = tokio::time::Instant::now() + ctx.limits.auth_timeout;
        let handler = Connection::new(ctx.clone(), peer, pre_auth, admission.clone());
        tokio::spawn(connection(
            config.clone(),
            handler,
            stream,
            eviction,
            deadline,
        ));
    }
}

/// Runs one connection to its end. Until it authenticates, every read and write fails once
/// `deadline` has passed or `eviction` fires, which ends the session and closes the socket.
async fn connection(
    config: Arc<Config>,
    handler: Connection,
    stream: tokio::net::TcpStream,
    eviction: super::admission::Eviction,
    deadline: tokio::time::Instant,
) {
    let peer = handler.peer();
    tracing::debug!(%peer, "SSH connection");
    // russh applies its `nodelay` setting only in its own accept loop: without this, Nagle's
    // algorithm delays small packets by ~40 ms twice per connection (see BENCHMARKS.md, Push).
    if let Err(e) = stream.set_nodelay(true) {
        tracing::debug!(error = %e, "cannot set TCP_NODELAY");
    }
    let authenticated = handler.authenticated_flag();
    let stream = PreAuthDeadline::new(
        super::quickack::QuickAck(stream),
        deadline,
        eviction,
        authenticated.clone(),
    );
    let ended = match russh::server::run_stream(config, stream, handler).await {
        Ok(session) => session.await,
        Err(e) => Err(e),
    };
    let timed_out =
        !authenticated.load(Ordering::Acquire) && tokio::time::Instant::now() >= deadline;
    match ended {
        _ if timed_out => {
            tracing::info!(%peer, "SSH client did not authenticate in time ([ssh] auth_timeout_secs); closed")
        }
        Ok(()) => tracing::debug!(%peer, "SSH connection closed"),
        Err(e) => tracing::debug!(%peer, error = %e, "SSH connection ended with an error"),
    }
}

/// Logs refused connections (and ones closed to make room for a newcomer) at most once per
/// `LOG_EVERY`, with how many there were, so a flood cannot fill the log.
#[derive(Default)]
struct RefusalLog {
    last: Option<tokio::time::Instant>,
    unlogged: u64,
}

const LOG_EVERY: Duration = Duration::from_secs(10);

impl RefusalLog {
    /// `why` is None when the newcomer was admitted by closing the biggest holder's oldest.
    fn note(&mut self, peer: std::net::SocketAddr, why: Option<Refused>) {
        self.unlogged += 1;
        let now = tokio::time::Instant::now();
        if self.last.is_some_and(|last| now < last + LOG_EVERY) {
            return;
        }
        let what = match why {
            Some(Refused::Total) => {
                "([ssh] max_unauthenticated); closing new ones from the clients holding the most"
            }
            Some(Refused::Client) => "([ssh] max_unauthenticated_per_ip); closing new ones",
            None => {
                "([ssh] max_unauthenticated); closing the oldest of the clients holding the most"
            }
        };
        tracing::warn!(%peer, closed = self.unlogged, "too many unauthenticated SSH connections {what}");
        self.last = Some(now);
        self.unlogged = 0;
    }
}
