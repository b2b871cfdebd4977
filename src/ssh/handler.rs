//! The per-connection russh handler: public-key authentication against the registered keys,
//! session channels that accept exactly one git `exec` each, and refusals of everything else
//! (shells, subsystems, ptys, X11, environment; forwarding is refused by russh's defaults).

use super::admission::{Admission, PreAuth};
use super::config::is_sha1_rsa;
use super::context::SshContext;
use super::fingerprint::fingerprint;
use super::idle::{self, Activity, Running, Watchdog};
use super::sessions::Slot;
use super::{command, git, key_owner};
use russh::server::{
    Auth, ChannelOpenHandle, Handler, Msg, PublicKeyOffer, Session, VerifiedPublicKey,
};
use russh::{Channel, ChannelId, Pty};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Session channels one connection may have open at once, running git or not.
const MAX_CHANNELS: usize = 8;

/// The message for shell and subsystem requests.
const NO_SHELL: &str = "interactive shells are not offered; use git push/clone \
     (e.g. git clone ssh://git@<host>:<port>/repos/<id>)";

/// One client connection.
pub struct Connection {
    ctx: Arc<SshContext>,
    peer: SocketAddr,
    /// The authenticated person (local, or remote holding a Grant here).
    user: Option<url::Url>,
    /// Set once authenticated and holding an authenticated slot (ends the pre-auth deadline).
    authenticated: Arc<AtomicBool>,
    /// Counted against the unauthenticated caps until authenticated.
    pre_auth: Option<PreAuth>,
    /// The authenticated slot, held from authentication to the end of the connection.
    slot: Option<Slot>,
    admission: Admission,
    /// Open session channels that have not started a command yet.
    channels: HashMap<ChannelId, Channel<Msg>>,
    /// Git sessions of this connection still running, and since when none runs.
    activity: Arc<Activity>,
    /// Closes the connection once authenticated and idle (`[ssh] idle_without_command_secs`).
    watchdog: Option<Watchdog>,
}

impl Connection {
    /// A connection from `peer`, admitted as `pre_auth`.
    pub fn new(
        ctx: Arc<SshContext>,
        peer: SocketAddr,
        pre_auth: PreAuth,
        admission: Admission,
    ) -> Connection {
        Connection {
            ctx,
            peer,
            user: None,
            authenticated: Arc::new(AtomicBool::new(false)),
            pre_auth: Some(pre_auth),
            slot: None,
            admission,
            channels: HashMap::new(),
            activity: Arc::default(),
            watchdog: None,
        }
    }

    pub fn peer(&self) -> SocketAddr {
        self.peer
    }

    /// Set once the connection is authenticated.
    pub fn authenticated_flag(&self) -> Arc<AtomicBool> {
        self.authenticated.clone()
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
        if is_sha1_rsa(offer.algorithm) {
            tracing::info!(peer = %self.peer, ssh_user = user, fingerprint = %fp, "SSH key offered with ssh-rsa (SHA-1) signatures: refused");
            return Ok(Auth::reject());
        }
        if key_owner::owner(&self.ctx, &fp).await.is_some() {
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
        let owner = if is_sha1_rsa(key.algorithm) {
            None
        } else {
            key_owner::owner(&self.ctx, &fp).await
        };
        match owner {
            Some(person) => {
                tracing::info!(peer = %self.peer, ssh_user = user, fingerprint = %fp, %person, "SSH authentication accepted");
                self.user = Some(person);
                Ok(Auth::Accept)
            }
            None => {
                tracing::info!(peer = %self.peer, ssh_user = user, fingerprint = %fp, "SSH authentication rejected");
                Ok(Auth::reject())
            }
        }
    }

    /// Moves the connection from the unauthenticated caps to an authenticated slot (and starts
    /// its idle watchdog), or closes it when all authenticated slots are taken or the person
    /// already holds `[ssh] max_sessions_per_user` connections.
    async fn auth_succeeded(&mut self, session: &mut Session) -> Result<(), Self::Error> {
        let Some(user) = self.user.clone() else {
            return Ok(());
        };
        let slot = match self.admission.authenticated(user.as_str()) {
            Ok(slot) => slot,
            Err(full) => {
                let message = full.message(self.ctx.limits.max_sessions_per_user);
                tracing::warn!(peer = %self.peer, %user, "{message}; closing");
                self.user = None;
                return session.disconnect(russh::Disconnect::TooManyConnections, &message, "en");
            }
        };
        self.slot = Some(slot);
        self.pre_auth = None;
        self.authenticated.store(true, Ordering::Release);
        let idle = self.ctx.limits.idle_without_command;
        let handle = session.handle();
        self.watchdog = Some(idle::watch(self.activity.clone(), idle, handle, self.peer));
        Ok(())
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        let open = self.channels.len() + self.activity.running();
        if self.user.is_none() || open >= MAX_CHANNELS {
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
                // Debug formatting escapes control characters; long commands are cut.
                let shown: String = String::from_utf8_lossy(data).chars().take(200).collect();
                tracing::info!(peer = %self.peer, %user, command = ?shown, "SSH command refused");
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
        let running = Running::start(&self.activity);
        let ctx = self.ctx.clone();
        tokio::spawn(async move {
            let _running = running;
            git::run(ctx, user, service, repo, chan).await;
        });
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        tracing::info!(peer = %self.peer, "SSH shell refused");
        self.refuse(channel, session, NO_SHELL)
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        tracing::info!(peer = %self.peer, subsystem = ?name, "SSH subsystem refused");
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
