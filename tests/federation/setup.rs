//! The federation tests' settings and the check that a collection lists an actor.

use crate::common::Instance;

/// Private addresses allowed, retries fast (1 s, at most 2 s apart).
pub const FAST_RETRY: &str = "[federation]\nallow_private_addresses = true\ndelivery_retry_base_secs = 1\ndelivery_max_backoff_secs = 2\n";
/// Private addresses allowed.
pub const PRIVATE_OK: &str = "[federation]\nallow_private_addresses = true\n";

/// Whether `collection` on `inst` (first page) lists `who`.
pub async fn follows(inst: &Instance, collection: &str, who: &str) -> bool {
    inst.collection(collection, None)
        .await
        .iter()
        .any(|v| v.as_str() == Some(who))
}
