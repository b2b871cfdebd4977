//! `Metrics`: the instance's counters and gauges in a prometheus-client registry, moved by the
//! transports and the delivery worker and encoded for `GET /metrics` in the Prometheus text
//! format (0.0.4). One per server, made at start and handed explicitly to whoever counts;
//! cheap to clone (the metrics are shared).

use super::labels::{
    HostLabels, InboxLabels, InboxReason, RequestLabels, Transport, TransportLabels,
};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

/// Distinct hosts `orchard_delivery_failures_total` names at most; failures at further hosts
/// are counted under `host="other"` (a sender cannot grow the metrics without bound).
pub const MAX_FAILURE_HOSTS: usize = 1000;

/// The `Content-Type` of the encoded metrics.
pub const CONTENT_TYPE: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

/// The values the gauges take at a scrape, read from their sources then.
#[derive(Clone, Copy, Debug, Default)]
pub struct Gauges {
    /// Per-inbox delivery jobs waiting (`orchard_delivery_queue_depth`).
    pub queue_depth: u64,
    /// Actors active in the registry (`orchard_active_actors`).
    pub active_actors: u64,
    /// Bytes of the database on disk (`orchard_store_bytes`).
    pub store_bytes: u64,
}

struct Inner {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    inbox: Family<InboxLabels, Counter>,
    delivery_failures: Family<HostLabels, Counter>,
    /// The hosts `delivery_failures` names (at most `MAX_FAILURE_HOSTS`).
    failure_hosts: Mutex<HashSet<String>>,
    pushes: Family<TransportLabels, Counter>,
    clones: Family<TransportLabels, Counter>,
    queue_depth: Gauge,
    active_actors: Gauge,
    store_bytes: Gauge,
}

impl Inner {
    fn register(&mut self) {
        let r = &mut self.registry;
        let help = "HTTP requests answered, by matched route pattern and status";
        r.register("orchard_http_requests", help, self.requests.clone());
        let help = "Server-to-server inbox POSTs, by outcome and refusal reason";
        r.register("orchard_inbox_activities", help, self.inbox.clone());
        let help = "Outgoing delivery jobs waiting";
        r.register(
            "orchard_delivery_queue_depth",
            help,
            self.queue_depth.clone(),
        );
        let help = "Failed delivery attempts (retried or given up), by destination host";
        let failures = self.delivery_failures.clone();
        r.register("orchard_delivery_failures", help, failures);
        let help = "Git pushes that succeeded, by transport";
        r.register("orchard_git_pushes", help, self.pushes.clone());
        let help = "Git upload-pack sessions (clones and fetches), by transport";
        r.register("orchard_git_clones", help, self.clones.clone());
        let help = "Actors active in memory";
        r.register("orchard_active_actors", help, self.active_actors.clone());
        let help = "Size of the database on disk in bytes";
        r.register("orchard_store_bytes", help, self.store_bytes.clone());
    }

    /// Series that exist from the start, at 0 (a family without series is not shown).
    fn start_at_zero(&self) {
        let accepted = InboxLabels {
            outcome: "accepted",
            reason: "none",
        };
        drop(self.inbox.get_or_create(&accepted));
        for transport in [Transport::Ssh, Transport::Http] {
            let labels = TransportLabels {
                transport: transport.label(),
            };
            drop(self.clones.get_or_create(&labels));
            if transport == Transport::Ssh {
                drop(self.pushes.get_or_create(&labels));
            }
        }
    }
}

/// The metrics of one server.
#[derive(Clone)]
pub struct Metrics {
    inner: Arc<Inner>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

fn as_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl Metrics {
    /// Every metric registered, all at zero. Counter names get `_total` when encoded.
    pub fn new() -> Metrics {
        let (requests, inbox, delivery_failures) = Default::default();
        let (pushes, clones) = Default::default();
        let (queue_depth, active_actors, store_bytes) = Default::default();
        let mut inner = Inner {
            registry: Registry::default(),
            requests,
            inbox,
            delivery_failures,
            failure_hosts: Mutex::default(),
            pushes,
            clones,
            queue_depth,
            active_actors,
            store_bytes,
        };
        inner.register();
        inner.start_at_zero();
        Metrics {
            inner: Arc::new(inner),
        }
    }

    /// An HTTP request was answered; `route` is its matched pattern (None: no route matched).
    pub fn request(&self, route: Option<&str>, status: u16) {
        let route = route.unwrap_or(super::labels::UNMATCHED).to_string();
        let labels = RequestLabels { route, status };
        self.inner.requests.get_or_create(&labels).inc();
    }

    /// An inbox POST was accepted (stored, or ignored as addressed to nobody here).
    pub fn inbox_accepted(&self) {
        let labels = InboxLabels {
            outcome: "accepted",
            reason: "none",
        };
        self.inner.inbox.get_or_create(&labels).inc();
    }

    /// An inbox POST was refused.
    pub fn inbox_refused(&self, reason: InboxReason) {
        let labels = InboxLabels {
            outcome: "refused",
            reason: reason.label(),
        };
        self.inner.inbox.get_or_create(&labels).inc();
    }

    /// A delivery attempt to `host` failed (it is retried, or given up).
    pub fn delivery_failed(&self, host: &str) {
        let host = match host.to_ascii_lowercase() {
            h if h.is_empty() => "unknown".to_string(),
            h => {
                let mut known = match self.inner.failure_hosts.lock() {
                    Ok(g) => g,
                    Err(p) => p.into_inner(),
                };
                if known.contains(&h) || known.len() < MAX_FAILURE_HOSTS {
                    known.insert(h.clone());
                    h
                } else {
                    "other".to_string()
                }
            }
        };
        let labels = HostLabels { host };
        self.inner.delivery_failures.get_or_create(&labels).inc();
    }

    /// A push succeeded.
    pub fn git_push(&self, transport: Transport) {
        let labels = TransportLabels {
            transport: transport.label(),
        };
        self.inner.pushes.get_or_create(&labels).inc();
    }

    /// An upload-pack session (a clone or fetch) was served.
    pub fn git_clone(&self, transport: Transport) {
        let labels = TransportLabels {
            transport: transport.label(),
        };
        self.inner.clones.get_or_create(&labels).inc();
    }

    /// The metrics in the Prometheus text format, the gauges set to `gauges` first.
    pub fn render(&self, gauges: Gauges) -> String {
        let inner = &self.inner;
        inner.queue_depth.set(as_i64(gauges.queue_depth));
        inner.active_actors.set(as_i64(gauges.active_actors));
        inner.store_bytes.set(as_i64(gauges.store_bytes));
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::prometheus_text::encode(&mut text, &inner.registry);
        text
    }
}

#[cfg(test)]
#[path = "registry_tests.rs"]
mod tests;
