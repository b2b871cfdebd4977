//! What the federation side of a request needs, held once by the HTTP `AppState` and handed to
//! the signed-request pipeline, signed GETs and shared-inbox routing: this instance's URLs and
//! registry, the key cache, the blocks, the inbox rate, the fetcher, the in-memory `unverified`
//! error box, and the two settings those read (`[http] trusted_proxies`, `[federation]
//! signature_max_skew_secs`).

use super::blocks::Blocks;
use super::fetch::Fetcher;
use super::keys::KeyStore;
use super::ratelimit::RateLimit;
use actors::{Registry, Urls};
use std::sync::Arc;
use std::time::Duration;

/// The federation-side handles of a running instance.
pub struct FederationState {
    pub urls: Urls,
    pub registry: Registry,
    /// Remote (and local) public keys, cached.
    pub keys: KeyStore,
    pub fetcher: Arc<Fetcher>,
    pub blocks: Blocks,
    /// The inbox rate, per client address and per verified host.
    pub rate_limit: RateLimit,
    /// `[http] trusted_proxies`: whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// `[federation] signature_max_skew_secs`.
    pub max_skew: Duration,
    /// The error box's `unverified` entries, in memory only.
    pub unverified: super::unverified::UnverifiedBox,
}
