//! The sizes and times of the crash scenario, and the settings Orchard runs with.

use std::time::Duration;

/// Remote senders, each its own server (port) with one actor `s<i>`.
pub const SENDERS: usize = 10;
/// Local people who are followed.
pub const PEOPLE: usize = 20;
/// Senders whose inbox answers 503 until after the restart.
pub const BLOCKED: usize = 3;
/// How long the ten senders post before the kill.
pub const LOAD: Duration = Duration::from_millis(1500);
/// Bound on waiting for every Accept after the restart.
pub const DELIVERY_WAIT: Duration = Duration::from_secs(25);
/// Quiet time after the last expected Accept, in which a duplicate would show up (retries are
/// at most ~2.5 s apart with these settings).
pub const SETTLE: Duration = Duration::from_secs(4);
/// How long after Orchard recorded a delivery as done (its "delivered" log line) a kill may
/// still lose that record: sled writes are made durable by its periodic flush every 500 ms (or
/// by a concurrent inbox POST's flush), and Orchard does not flush after a delivery.
pub const COMPLETION_GRACE: Duration = Duration::from_millis(1000);

pub const SETTINGS: &str = "[federation]\nallow_private_addresses = true\ndelivery_retry_base_secs = 1\ndelivery_max_backoff_secs = 2\n";
