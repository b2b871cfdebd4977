//! `[federation]` of the settings: private addresses, signature skew, delivery retries and
//! concurrency, blocked hosts, the inbox rate, the bounds on fetches per activity and the rate of
//! the web look-up.

use serde::Deserialize;

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
    /// Look-ups (the web page that fetches what a person pastes) per person per minute; 0 means
    /// no limit.
    #[serde(default = "default_lookups")]
    pub lookups_per_minute_per_person: u32,
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
            lookups_per_minute_per_person: default_lookups(),
        }
    }
}

fn default_lookups() -> u32 {
    20
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

impl FederationSettings {
    /// Refuses out-of-range values and malformed blocked hosts; the message names the key.
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=86_400).contains(&self.signature_max_skew_secs) {
            return Err(
                "key `federation.signature_max_skew_secs`: must be between 1 and 86400".into(),
            );
        }
        for host in &self.blocked_hosts {
            crate::host_blocks::parse_block(host)
                .map_err(|e| format!("key `federation.blocked_hosts`: {e}"))?;
        }
        if self.delivery_retry_base_secs == 0
            || self.delivery_max_backoff_secs < self.delivery_retry_base_secs
        {
            return Err("key `federation.delivery_retry_base_secs`: must be at least 1 and at most delivery_max_backoff_secs".into());
        }
        if self.delivery_horizon_secs == 0 {
            return Err("key `federation.delivery_horizon_secs`: must be at least 1".into());
        }
        if !(1..=1024).contains(&self.delivery_concurrency_per_host) {
            return Err(
                "key `federation.delivery_concurrency_per_host`: must be between 1 and 1024".into(),
            );
        }
        if !(1..=100_000).contains(&self.max_recipients_per_activity)
            || !(1..=self.max_recipients_per_activity)
                .contains(&self.max_fetches_per_host_per_activity)
        {
            return Err("key `federation.max_recipients_per_activity`: must be between 1 and 100000, and `max_fetches_per_host_per_activity` between 1 and it".into());
        }
        if !(1..=604_800).contains(&self.fetch_failure_ttl_secs) {
            return Err(
                "key `federation.fetch_failure_ttl_secs`: must be between 1 and 604800".into(),
            );
        }
        Ok(())
    }
}
