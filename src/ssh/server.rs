//! The SSH accept loop and the per-connection handler: public-key authentication against the
//! registered keys, session channels that accept exactly one git `exec` each, and refusals of
//! everything else (shells, subsystems, ptys, environment, forwarding).

use super::command;
use super::{fingerprint, git, SshContext};
use russh::keys::PrivateKey;
use russh::server::{
    Auth, ChannelOpenHandle, Config, Handler, Msg, PublicKeyOffer, Session, VerifiedPublicKey,
};
use russh::{Channel, ChannelId, MethodKind, MethodSet, Pty};
use std::collections::HashMap;
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
/// Session channels one connection may have open at once.
const MAX_CHANNELS: usize = 8;

/// The message for shell and subsystem requests.
const NO_SHELL: &str = "interactive shells are not offered; use git push/clone \
     (e.g. git clone ssh://git@<host>:<port>/repos/<id>)";

/// The russh configuration: public-key authentication only, small rejection delay, bounded
/// attempts, russh's default (modern) algorithms.
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
        nodelay: true,
        ..Default::default()
    }
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
    let handler = Connection {
        ctx,
        peer,
        user: None,
        authenticated: authenticated.clone(),
        channels: HashMap::new(),
    };
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

/// One client connection.
struct Connection {
    ctx: Arc<SshContext>,
    peer: SocketAddr,
    /// The authenticated person's username.
    user: Option<String>,
    authenticated: Arc<AtomicBool>,
    /// Open session channels that have not started a command yet.
    channels: HashMap<ChannelId, Channel<Msg>>,
}

impl Connection {
    /// The owner of a key, or None (also on a storage error, which is logged).
    fn owner(&self, fp: &str) -> Option<String> {
        match self.ctx.keys.owner(fp) {
            Ok(owner) => owner,
            Err(e) => {
                tracing::error!(error = %e, "cannot read SSH keys");
                None
            }
        }
    }

    /// Tells the client why a request is refused (stderr), then ends the channel with status 1.
    fn refuse(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
        message: &str,
    ) -> Result<(), russh::Error> {
        self.channels.remove(&channel);
        session.channel_success(channel)?;
        session.extended_data(channel, 1, format!("orchard: {message}\n").into_bytes())?;
        session.exit_status_request(channel, 1)?;
        session.eof(channel)?;
        session.close(channel)
    }
}

impl Handler for Connection {
    type Error = russh::Error;

    async fn auth_publickey_offered(
        &mut self,
        user: &str,
        offer: PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        let fp = fingerprint(offer.public_key);
        if self.owner(&fp).is_some() {
            return Ok(Auth::Accept);
        }
        tracing::info!(peer = %self.peer, ssh_user = user, fingerprint = %fp, "SSH key unknown");
        Ok(Auth::reject())
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        let fp = fingerprint(key.public_key);
        match self.owner(&fp) {
            Some(username) => {
                tracing::info!(peer = %self.peer, ssh_user = user, fingerprint = %fp, %username, "SSH authentication accepted");
                self.user = Some(username);
                self.authenticated.store(true, Ordering::Relaxed);
                Ok(Auth::Accept)
            }
            None => {
                tracing::info!(peer = %self.peer, ssh_user = user, fingerprint = %fp, "SSH authentication rejected");
                Ok(Auth::reject())
            }
        }
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.user.is_none() || self.channels.len() >= MAX_CHANNELS {
            reply
                .reject(russh::ChannelOpenFailure::ResourceShortage)
                .await;
            return Ok(());
        }
        self.channels.insert(channel.id(), channel);
        reply.accept().await;
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.channels.remove(&channel);
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(user) = self.user.clone() else {
            return session.channel_failure(channel);
        };
        let (service, repo) = match command::parse(data) {
            Ok(parsed) => parsed,
            Err(message) => {
                tracing::info!(peer = %self.peer, %user, command = %String::from_utf8_lossy(data), "SSH command refused");
                return self.refuse(channel, session, &message);
            }
        };
        let Some(chan) = self.channels.remove(&channel) else {
            // A second command on the same channel.
            return session.channel_failure(channel);
        };
        tracing::info!(peer = %self.peer, %user, service = service.as_str(), repository = %repo.id, "SSH git command");
        session.channel_success(channel)?;
        // Never awaited here: the session must keep running while git works.
        tokio::spawn(git::run(self.ctx.clone(), user, service, repo, chan));
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse(channel, session, NO_SHELL)
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        tracing::info!(peer = %self.peer, subsystem = name, "SSH subsystem refused");
        self.refuse(channel, session, NO_SHELL)
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _term: &str,
        _col_width: u32,
        _row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single_connection: bool,
        _x11_auth_protocol: &str,
        _x11_auth_cookie: &str,
        _x11_screen_number: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        _variable_name: &str,
        _variable_value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        _col_width: u32,
        _row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }
}
