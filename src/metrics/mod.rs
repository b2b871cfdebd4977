//! The instance's own health and metrics: the Prometheus counters and gauges (`registry`, over
//! the closed label sets of `labels`) that the transports and the delivery worker move, and the
//! probes that `GET /readyz` and the gauges read (`probes`). Served by `http::metrics` and
//! `http::health`.

pub mod labels;
pub mod probes;
pub mod registry;

pub use labels::{InboxReason, Transport};
pub use probes::{Probes, SshProbe};
pub use registry::{Gauges, Metrics};
