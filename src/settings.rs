//! `settings.toml`, parsed into a validated struct. Unknown keys, missing required keys and bad
//! values are refused with one message naming the key and the file. Passed explicitly.

use crate::error::Error;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use url::Url;

mod accounts;
pub use accounts::AccountSettings;

/// The whole settings file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The URL every IRI of this instance is built from, e.g. `http://127.0.0.1:7000`.
    pub public_url: Url,
    pub http: HttpSettings,
    #[serde(default)]
    pub ssh: SshSettings,
    pub storage: StorageSettings,
    #[serde(default)]
    pub accounts: AccountSettings,
    #[serde(default)]
    pub federation: FederationSettings,
    #[serde(default)]
    pub actors: ActorSettings,
}

/// `[http]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSettings {
    /// Address the HTTP server listens on.
    pub bind: SocketAddr,
    /// Smart-HTTP git processes (clones, fetches) served at once.
    #[serde(default = "default_max_clones")]
    pub max_concurrent_clones: usize,
    /// How long a clone waits for a free slot before it is answered 503.
    #[serde(default = "default_clone_wait")]
    pub clone_wait_secs: u64,
    /// Reverse proxies (addresses or networks) whose `X-Forwarded-For` names the client for the
    /// per-address limits. Default: none (the TCP peer is the client).
    #[serde(default, deserialize_with = "proxies")]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Concurrent HTTP connections at most; 0: derived from the open-file limit (with a
    /// reserve for SSH, the store and outgoing requests). Never above what that limit allows.
    #[serde(default)]
    pub max_connections: usize,
    /// Seconds a request body may take to arrive; then 408 and the connection is closed.
    #[serde(default = "default_body_timeout")]
    pub body_timeout_secs: u64,
}

/// One `[http] trusted_proxies` entry: an address (`127.0.0.1`, `::1`) or a network
/// (`10.0.0.0/8`).
pub fn parse_proxy(entry: &str) -> Result<ipnet::IpNet, String> {
    entry
        .parse::<ipnet::IpNet>()
        .or_else(|_| entry.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("`{entry}` is not an IP address or network"))
}

fn proxies<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<ipnet::IpNet>, D::Error> {
    let entries = Vec::<String>::deserialize(d)?;
    entries
        .iter()
        .map(|e| parse_proxy(e).map_err(serde::de::Error::custom))
        .collect()
}

fn default_max_clones() -> usize {
    8
}

fn default_body_timeout() -> u64 {
    30
}

fn default_clone_wait() -> u64 {
    30
}

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

/// `[storage]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageSettings {
    /// The sled database directory.
    pub path: PathBuf,
    /// Directory of the bare git repositories; default: `repos` beside `path`.
    #[serde(default)]
    pub repos: Option<PathBuf>,
    /// Size of sled's page cache in MiB (what it keeps of the database in memory).
    #[serde(default = "default_cache_mb")]
    pub cache_mb: u64,
    /// Free MiB the filesystems of `path` and the repositories must keep: below it, requests
    /// that write are refused (507) before they reach the store. 0 disables the guard.
    #[serde(default = "default_min_free_mb")]
    pub min_free_mb: u64,
}

fn default_cache_mb() -> u64 {
    256
}

fn default_min_free_mb() -> u64 {
    256
}

impl StorageSettings {
    /// The repositories directory, with its default applied.
    pub fn repos_dir(&self) -> PathBuf {
        match &self.repos {
            Some(p) => p.clone(),
            None => self
                .path
                .parent()
                .map(|p| p.join("repos"))
                .unwrap_or_else(|| PathBuf::from("repos")),
        }
    }
}

/// `[federation]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FederationSettings {
    /// Whether fetches and deliveries may go to private and loopback addresses.
    #[serde(default)]
    pub allow_private_addresses: bool,
    /// Largest accepted difference between a signed request's Date and now, both directions.
    #[serde(default = "default_skew")]
    pub signature_max_skew_secs: u64,
    /// Delay before the first retry of a failed delivery; later retries double it (with jitter).
    #[serde(default = "default_retry_base")]
    pub delivery_retry_base_secs: u64,
    /// Longest delay between two delivery attempts.
    #[serde(default = "default_max_backoff")]
    pub delivery_max_backoff_secs: u64,
    /// How long a delivery is retried before it is given up.
    #[serde(default = "default_horizon")]
    pub delivery_horizon_secs: u64,
    /// Deliveries in flight at once to one host.
    #[serde(default = "default_per_host")]
    pub delivery_concurrency_per_host: usize,
    /// Remote hosts whose activities are refused and to which nothing is delivered or fetched.
    #[serde(default)]
    pub blocked_hosts: Vec<String>,
    /// Inbox POSTs accepted per client address, and per verified signer's host, per minute; 0
    /// means no limit.
    #[serde(default = "default_inbox_rate")]
    pub inbox_requests_per_minute: u32,
    /// Remote actor documents fetched at most while routing one activity (its uncached
    /// recipients); recipients beyond are not delivered to.
    #[serde(default = "default_max_recipients")]
    pub max_recipients_per_activity: usize,
    /// Of those, at most this many on one remote host.
    #[serde(default = "default_fetches_per_host")]
    pub max_fetches_per_host_per_activity: usize,
    /// How long a failed fetch of a remote actor (and a host that failed several in a row) is
    /// remembered, so it is not fetched again meanwhile.
    #[serde(default = "default_failure_ttl")]
    pub fetch_failure_ttl_secs: u64,
}

impl Default for FederationSettings {
    fn default() -> Self {
        FederationSettings {
            allow_private_addresses: false,
            signature_max_skew_secs: default_skew(),
            delivery_retry_base_secs: default_retry_base(),
            delivery_max_backoff_secs: default_max_backoff(),
            delivery_horizon_secs: default_horizon(),
            delivery_concurrency_per_host: default_per_host(),
            blocked_hosts: Vec::new(),
            inbox_requests_per_minute: default_inbox_rate(),
            max_recipients_per_activity: default_max_recipients(),
            max_fetches_per_host_per_activity: default_fetches_per_host(),
            fetch_failure_ttl_secs: default_failure_ttl(),
        }
    }
}

fn default_max_recipients() -> usize {
    100
}

fn default_fetches_per_host() -> usize {
    20
}

fn default_failure_ttl() -> u64 {
    600
}

fn default_retry_base() -> u64 {
    30
}

fn default_max_backoff() -> u64 {
    6 * 3600
}

fn default_horizon() -> u64 {
    7 * 24 * 3600
}

fn default_per_host() -> usize {
    8
}

fn default_inbox_rate() -> u32 {
    6000
}

fn default_skew() -> u64 {
    300
}

/// `[actors]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorSettings {
    /// Seconds an actor may stay idle in memory before it is passivated.
    #[serde(default = "default_idle")]
    pub idle_timeout_secs: u64,
}

impl Default for ActorSettings {
    fn default() -> Self {
        ActorSettings {
            idle_timeout_secs: default_idle(),
        }
    }
}

fn default_idle() -> u64 {
    300
}

impl Settings {
    /// Reads, parses and validates a settings file.
    pub fn load(path: &Path) -> Result<Settings, Error> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::Settings {
            file: file.clone(),
            message: format!("cannot read the file: {e}"),
        })?;
        Settings::parse(&text, &file)
    }

    /// Parses and validates settings text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Settings, Error> {
        let fail = |message: String| Error::Settings {
            file: file.to_string(),
            message: message.replace('\n', " "),
        };
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].lines().count().max(1))
                .unwrap_or(0);
            fail(format!("line {line}: {}", e.message()))
        })?;
        let settings: Settings = serde_path_to_error::deserialize(toml::Value::Table(table))
            .map_err(|e| {
                let path = e.path().to_string();
                let inner = e.into_inner().to_string();
                if path == "." || path.is_empty() {
                    fail(inner)
                } else {
                    fail(format!("key `{path}`: {inner}"))
                }
            })?;
        settings.validate().map_err(fail)?;
        Ok(settings)
    }

    /// The local id of a `resident_factories` entry (an id, or this instance's Factory IRI).
    pub fn resident_factory_id(&self, entry: &str) -> Option<String> {
        let id = match Url::parse(entry) {
            Ok(iri) => {
                let r = actors::Urls::new(self.public_url.clone()).parse_actor(&iri)?;
                (r.kind == actors::ActorKind::Factory).then_some(r.id)?
            }
            Err(_) => entry.to_string(),
        };
        actors::kind::is_valid_local_id(&id).then_some(id)
    }

    fn validate(&self) -> Result<(), String> {
        let u = &self.public_url;
        if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
            return Err("key `public_url`: must be an http or https URL with a host".into());
        }
        if u.query().is_some() || u.fragment().is_some() {
            return Err("key `public_url`: must not have a query or fragment".into());
        }
        for name in &self.accounts.factory_creators {
            if !actors::kind::is_valid_local_id(name) {
                return Err(format!(
                    "key `accounts.factory_creators`: `{name}` is not a valid username"
                ));
            }
        }
        if !(1..=86_400).contains(&self.federation.signature_max_skew_secs) {
            return Err(
                "key `federation.signature_max_skew_secs`: must be between 1 and 86400".into(),
            );
        }
        if !(16..=1_048_576).contains(&self.storage.cache_mb) {
            return Err("key `storage.cache_mb`: must be between 16 and 1048576 (MiB)".into());
        }
        if self.storage.min_free_mb > 1_048_576 {
            return Err(
                "key `storage.min_free_mb`: must be at most 1048576 (MiB; 0 disables the guard)"
                    .into(),
            );
        }
        for name in &self.accounts.admins {
            if !actors::kind::is_valid_local_id(name) {
                return Err(format!(
                    "key `accounts.admins`: `{name}` is not a valid username"
                ));
            }
        }
        for host in &self.federation.blocked_hosts {
            crate::federation::blocks::parse_block(host)
                .map_err(|e| format!("key `federation.blocked_hosts`: {e}"))?;
        }
        self.accounts.validate()?;
        for f in &self.accounts.resident_factories {
            if self.resident_factory_id(f).is_none() {
                return Err(format!(
                    "key `accounts.resident_factories`: `{f}` is neither a factory id nor this instance's /factories/<id> IRI"
                ));
            }
        }
        let f = &self.federation;
        if f.delivery_retry_base_secs == 0
            || f.delivery_max_backoff_secs < f.delivery_retry_base_secs
        {
            return Err("key `federation.delivery_retry_base_secs`: must be at least 1 and at most delivery_max_backoff_secs".into());
        }
        if f.delivery_horizon_secs == 0 {
            return Err("key `federation.delivery_horizon_secs`: must be at least 1".into());
        }
        if !(1..=1024).contains(&f.delivery_concurrency_per_host) {
            return Err(
                "key `federation.delivery_concurrency_per_host`: must be between 1 and 1024".into(),
            );
        }
        if !(1..=100_000).contains(&f.max_recipients_per_activity)
            || !(1..=f.max_recipients_per_activity).contains(&f.max_fetches_per_host_per_activity)
        {
            return Err("key `federation.max_recipients_per_activity`: must be between 1 and 100000, and `max_fetches_per_host_per_activity` between 1 and it".into());
        }
        if !(1..=604_800).contains(&f.fetch_failure_ttl_secs) {
            return Err(
                "key `federation.fetch_failure_ttl_secs`: must be between 1 and 604800".into(),
            );
        }
        if !(1..=3600).contains(&self.http.body_timeout_secs) {
            return Err("key `http.body_timeout_secs`: must be between 1 and 3600".into());
        }
        if self.http.max_connections > 1_000_000 {
            return Err(
                "key `http.max_connections`: must be at most 1000000 (0: automatic)".into(),
            );
        }
        if self.ssh.push_timeout_secs == 0 {
            return Err("key `ssh.push_timeout_secs`: must be at least 1".into());
        }
        self.validate_limits()?;
        if self.actors.idle_timeout_secs == 0 {
            return Err("key `actors.idle_timeout_secs`: must be at least 1".into());
        }
        Ok(())
    }
}

impl Settings {
    /// The SSH admission and git size limits, and the smart-HTTP clone bound.
    fn validate_limits(&self) -> Result<(), String> {
        let (ssh, http) = (&self.ssh, &self.http);
        if !(1..=3600).contains(&ssh.auth_timeout_secs) {
            return Err("key `ssh.auth_timeout_secs`: must be between 1 and 3600".into());
        }
        if !(1..=65_536).contains(&ssh.max_unauthenticated) {
            return Err("key `ssh.max_unauthenticated`: must be between 1 and 65536".into());
        }
        if ssh.max_unauthenticated_per_ip == 0
            || ssh.max_unauthenticated_per_ip > ssh.max_unauthenticated
        {
            return Err("key `ssh.max_unauthenticated_per_ip`: must be at least 1 and at most ssh.max_unauthenticated".into());
        }
        if !(1..=crate::ssh::sessions::AUTHENTICATED).contains(&ssh.max_sessions_per_user) {
            return Err(format!(
                "key `ssh.max_sessions_per_user`: must be between 1 and {}",
                crate::ssh::sessions::AUTHENTICATED
            ));
        }
        if !(1..=3600).contains(&ssh.idle_without_command_secs) {
            return Err("key `ssh.idle_without_command_secs`: must be between 1 and 3600".into());
        }
        if !(1..=1_048_576).contains(&ssh.max_push_mb) {
            return Err("key `ssh.max_push_mb`: must be between 1 and 1048576 (MiB)".into());
        }
        if !(1..=4096).contains(&http.max_concurrent_clones) {
            return Err("key `http.max_concurrent_clones`: must be between 1 and 4096".into());
        }
        if http.clone_wait_secs > 3600 {
            return Err("key `http.clone_wait_secs`: must be at most 3600".into());
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "settings_tests.rs"]
mod tests;
