//! The SSH accept loop: the russh configuration (public-key authentication only, russh's
//! default modern algorithms), a bound on concurrent connections, a login grace time, and one
//! task per connection running a `handler::Connection`.

use super::handler::Connection;
use super::{fingerprint, SshContext};
use russh::keys::Algorithm;
use russh::keys::PrivateKey;
use russh::server::Config;
use russh::{MethodKind, MethodSet, Preferred};
use std::borrow::Cow;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Connections served at once; further ones are closed at once.
const MAX_CONNECTIONS: usize = 512;
/// A connection must authenticate within this time.
const LOGIN_GRACE: Duration = Duration::from_secs(60);
/// A connection with no traffic for this long is closed.
const INACTIVITY: Duration = Duration::from_secs(600);

/// The russh configuration: public-key authentication only, small rejection delay, bounded
/// attempts, russh's default (modern) algorithms without SHA-1 RSA signatures.
fn config(host_key: PrivateKey) -> Config {
    Config {
        server_id: russh::SshId::Standard(
            concat!("SSH-2.0-orchard_", env!("CARGO_PKG_VERSION")).into(),
        ),
        methods: MethodSet::from(&[MethodKind::PublicKey][..]),
        auth_rejection_time: Duration::from_millis(100),
        auth_rejection_time_initial: Some(Duration::ZERO),
        max_auth_attempts: 6,
        inactivity_timeout: Some(INACTIVITY),
        keys: vec![host_key],
        preferred: Preferred {
            key: Cow::Owned(
                Preferred::DEFAULT
                    .key
                    .iter()
                    .filter(|a| !is_sha1_rsa(a))
                    .cloned()
                    .collect(),
            ),
            ..Preferred::DEFAULT
        },
        nodelay: true,
        ..Default::default()
    }
}

/// `ssh-rsa`: RSA signatures over SHA-1, refused (as OpenSSH does since 8.8); RSA keys sign with
/// `rsa-sha2-256` or `rsa-sha2-512` instead.
pub(super) fn is_sha1_rsa(algorithm: &Algorithm) -> bool {
    matches!(algorithm, Algorithm::Rsa { hash: None })
}

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
    let ctx = Arc::new(ctx);
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
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
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tracing::warn!(%peer, "too many SSH connections; closing a new one");
            continue;
        };
        let (config, ctx) = (config.clone(), ctx.clone());
        tokio::spawn(async move {
            let _slot = slot;
            connection(config, ctx, stream, peer).await;
        });
    }
}

async fn connection(
    config: Arc<Config>,
    ctx: Arc<SshContext>,
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
) {
    tracing::debug!(%peer, "SSH connection");
    let authenticated = Arc::new(AtomicBool::new(false));
    let handler = Connection::new(ctx, peer, authenticated.clone());
    // russh applies its `nodelay` setting only in its own accept loop: without this, Nagle's
    // algorithm delays small packets by ~40 ms twice per connection (see BENCHMARKS.md, Push).
    if let Err(e) = stream.set_nodelay(true) {
        tracing::debug!(error = %e, "cannot set TCP_NODELAY");
    }
    let stream = super::quickack::QuickAck(stream);
    let session = match russh::server::run_stream(config, stream, handler).await {
        Ok(session) => session,
        Err(e) => {
            tracing::debug!(%peer, error = %e, "SSH handshake failed");
            return;
        }
    };
    let handle = session.handle();
    let grace = tokio::spawn(async move {
        tokio::time::sleep(LOGIN_GRACE).await;
        if !authenticated.load(Ordering::Relaxed) {
            tracing::info!(%peer, "SSH client did not authenticate in time");
            let reason = "authentication timed out".to_string();
            let _ = handle
                .disconnect(russh::Disconnect::ByApplication, reason, "en".into())
                .await;
        }
    });
    match session.await {
        Ok(()) => tracing::debug!(%peer, "SSH connection closed"),
        Err(e) => tracing::debug!(%peer, error = %e, "SSH connection ended with an error"),
    }
    grace.abort();
}
