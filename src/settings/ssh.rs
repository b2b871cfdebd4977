//! `[ssh]` of the settings: the SSH listener, the push timeout and size, and the admission
//! limits on unauthenticated, authenticated and idle connections (see SECURITY.md, SSH).

use serde::Deserialize;
use std::net::SocketAddr;

/// Authenticated SSH connections in all (`ssh::sessions`); `max_sessions_per_user` is at most
/// this.
pub const MAX_AUTHENTICATED_SESSIONS: usize = 512;

/// `[ssh]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SshSettings {
    /// Address the SSH server listens on.
    #[serde(default = "default_ssh_bind")]
    pub bind: SocketAddr,
    /// Longest a git push (or fetch) may run before it is ended.
    #[serde(default = "default_push_timeout")]
    pub push_timeout_secs: u64,
    /// A connection must send its version line, finish key exchange and authenticate within
    /// this time, or it is closed.
    #[serde(default = "default_auth_timeout")]
    pub auth_timeout_secs: u64,
    /// Connections not yet authenticated, in all; further ones are closed at once.
    #[serde(default = "default_max_unauthenticated")]
    pub max_unauthenticated: usize,
    /// Connections not yet authenticated from one client address (IPv6: one /64).
    #[serde(default = "default_max_unauthenticated_per_ip")]
    pub max_unauthenticated_per_ip: usize,
    /// Most data, in MiB, one push may send (its ref commands and pack).
    #[serde(default = "default_max_push_mb")]
    pub max_push_mb: u64,
    /// Authenticated connections one person may hold at once; a further one is disconnected.
    #[serde(default = "default_max_sessions_per_user")]
    pub max_sessions_per_user: usize,
    /// An authenticated connection that runs no git command for this long is disconnected.
    #[serde(default = "default_idle_without_command")]
    pub idle_without_command_secs: u64,
}

impl Default for SshSettings {
    fn default() -> Self {
        SshSettings {
            bind: default_ssh_bind(),
            push_timeout_secs: default_push_timeout(),
            auth_timeout_secs: default_auth_timeout(),
            max_unauthenticated: default_max_unauthenticated(),
            max_unauthenticated_per_ip: default_max_unauthenticated_per_ip(),
            max_push_mb: default_max_push_mb(),
            max_sessions_per_user: default_max_sessions_per_user(),
            idle_without_command_secs: default_idle_without_command(),
        }
    }
}

fn default_auth_timeout() -> u64 {
    15
}

fn default_max_unauthenticated() -> usize {
    64
}

fn default_max_unauthenticated_per_ip() -> usize {
    8
}

fn default_max_sessions_per_user() -> usize {
    16
}

fn default_idle_without_command() -> u64 {
    60
}

fn default_max_push_mb() -> u64 {
    512
}

fn default_push_timeout() -> u64 {
    600
}

fn default_ssh_bind() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 2222))
}

impl SshSettings {
    /// Refuses out-of-range values; the message names the key.
    pub fn validate(&self) -> Result<(), String> {
        if self.push_timeout_secs == 0 {
            return Err("key `ssh.push_timeout_secs`: must be at least 1".into());
        }
        if !(1..=3600).contains(&self.auth_timeout_secs) {
            return Err("key `ssh.auth_timeout_secs`: must be between 1 and 3600".into());
        }
        if !(1..=65_536).contains(&self.max_unauthenticated) {
            return Err("key `ssh.max_unauthenticated`: must be between 1 and 65536".into());
        }
        if self.max_unauthenticated_per_ip == 0
            || self.max_unauthenticated_per_ip > self.max_unauthenticated
        {
            return Err("key `ssh.max_unauthenticated_per_ip`: must be at least 1 and at most ssh.max_unauthenticated".into());
        }
        if !(1..=MAX_AUTHENTICATED_SESSIONS).contains(&self.max_sessions_per_user) {
            return Err(format!(
                "key `ssh.max_sessions_per_user`: must be between 1 and {}",
                MAX_AUTHENTICATED_SESSIONS
            ));
        }
        if !(1..=3600).contains(&self.idle_without_command_secs) {
            return Err("key `ssh.idle_without_command_secs`: must be between 1 and 3600".into());
        }
        if !(1..=1_048_576).contains(&self.max_push_mb) {
            return Err("key `ssh.max_push_mb`: must be between 1 and 1048576 (MiB)".into());
        }
        Ok(())
    }
}
