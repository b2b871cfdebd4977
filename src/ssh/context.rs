//! What the SSH server is given by the rest of the instance: the `SshContext` handles and the
//! `[ssh]` limits (`SshLimits`) on connections and pushes.

use super::remote_keys;
use std::time::Duration;

/// What the SSH server needs from the rest of the instance.
#[derive(Clone)]
pub struct SshContext {
    /// Reaches Repository actors (and the store, to check that a repository exists).
    pub registry: actors::Registry,
    /// Maps an authenticating key's fingerprint to its owner.
    pub keys: actors::ssh_keys::SshKeys,
    /// Builds the IRI of the authenticated person.
    pub urls: actors::Urls,
    /// Keys of remote people who hold Grants here.
    pub remote_keys: remote_keys::RemoteKeys,
    /// Upper bound on one git session, after which the client is told it timed out (the
    /// Repository actor bounds the git process itself).
    pub push_timeout: Duration,
    /// Admission of unauthenticated connections and the size of a push.
    pub limits: SshLimits,
    /// Refuses pushes while the storage is almost full (`[storage] min_free_mb`).
    pub disk: crate::disk_guard::DiskGuard,
    /// Counts pushes and clones (`orchard_git_*_total{transport="ssh"}`).
    pub metrics: crate::metrics::Metrics,
}

/// The `[ssh]` limits on connections and pushes (see SECURITY.md, SSH).
#[derive(Clone, Debug)]
pub struct SshLimits {
    /// Version line, key exchange and authentication must be done within this time.
    pub auth_timeout: Duration,
    /// Unauthenticated connections in all.
    pub max_unauthenticated: usize,
    /// Unauthenticated connections from one client address.
    pub max_unauthenticated_per_ip: usize,
    /// Most bytes one push may send.
    pub max_push_bytes: u64,
    /// `max_push_bytes` in MiB, as the setting says it.
    pub max_push_mb: u64,
    /// Authenticated connections one person may hold at once.
    pub max_sessions_per_user: usize,
    /// An authenticated connection running no git command for this long is closed.
    pub idle_without_command: Duration,
}

impl SshLimits {
    /// The limits `[ssh]` sets.
    pub fn from_settings(ssh: &crate::settings::SshSettings) -> SshLimits {
        SshLimits {
            auth_timeout: Duration::from_secs(ssh.auth_timeout_secs),
            max_unauthenticated: ssh.max_unauthenticated,
            max_unauthenticated_per_ip: ssh.max_unauthenticated_per_ip,
            max_push_bytes: ssh.max_push_mb.saturating_mul(1024 * 1024),
            max_push_mb: ssh.max_push_mb,
            max_sessions_per_user: ssh.max_sessions_per_user,
            idle_without_command: Duration::from_secs(ssh.idle_without_command_secs),
        }
    }
}
