//! `[http]` of the settings: the HTTP listener, smart-HTTP clone slots, trusted reverse proxies,
//! the connection cap and the body deadline.

use serde::Deserialize;
use std::net::SocketAddr;

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

impl HttpSettings {
    /// Refuses out-of-range values; the message names the key.
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=3600).contains(&self.body_timeout_secs) {
            return Err("key `http.body_timeout_secs`: must be between 1 and 3600".into());
        }
        if self.max_connections > 1_000_000 {
            return Err(
                "key `http.max_connections`: must be at most 1000000 (0: automatic)".into(),
            );
        }
        if !(1..=4096).contains(&self.max_concurrent_clones) {
            return Err("key `http.max_concurrent_clones`: must be between 1 and 4096".into());
        }
        if self.clone_wait_secs > 3600 {
            return Err("key `http.clone_wait_secs`: must be at most 3600".into());
        }
        Ok(())
    }
}
