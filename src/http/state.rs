//! `AppState`: what every HTTP handler can reach, built once at start-up (src/server.rs) and
//! passed in explicitly through `web::Data`.

use super::account_limits::AccountLimits;
use super::git_stream::CloneSlots;
use crate::federation::state::FederationState;
use crate::settings::Settings;
use actors::{Accounts, KeyPair, Registry, Urls};
use std::sync::Arc;

/// What every handler can reach. Built once at start-up and passed in explicitly.
pub struct AppState {
    pub settings: Arc<Settings>,
    pub urls: Urls,
    pub registry: Registry,
    pub accounts: Accounts,
    pub instance_key: KeyPair,
    /// Keys, blocks, the inbox rate and the fetcher: what the signed-request pipeline needs.
    pub federation: FederationState,
    pub account_limits: AccountLimits,
    /// Slots for smart-HTTP git processes (`[http] max_concurrent_clones`).
    pub clone_slots: CloneSlots,
    /// Refuses writes while the storage is almost full (`[storage] min_free_mb`).
    pub disk: crate::disk_guard::DiskGuard,
    /// Web look-ups per person (`[federation] lookups_per_minute_per_person`).
    pub lookups: crate::buckets::Buckets,
    /// Reads of code: their slots and the open repository handles kept between them.
    pub repos: super::repo_reads::RepoReads,
    /// The counters and gauges of `GET /metrics`.
    pub metrics: crate::metrics::Metrics,
    /// What `GET /readyz` and the gauges read (store, delivery queue, actors, SSH).
    pub probes: crate::metrics::Probes,
}
