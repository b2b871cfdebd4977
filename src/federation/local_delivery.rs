//! Delivering an activity to a local recipient: through its actor's `Receive`, the same path as
//! a remote inbox POST, retried a few times while the actor is stopping (passivated, or
//! reloading after a failed commit). A suspended person gets nothing (as a remote inbox POST
//! to them is refused).

use actors::messages::Receive;
use actors::{ActorRef, Registry};
use std::time::Duration;

/// Tries of a local delivery whose recipient answers with an error (50, 200, 800 ms apart).
const LOCAL_ATTEMPTS: u32 = 4;

/// Delivers `activity` (id `id`) to the local actor `r`; failures are logged.
pub async fn deliver_locally(
    registry: &Registry,
    r: &ActorRef,
    activity: &serde_json::Value,
    id: &str,
) {
    match actors::data::suspension::is_suspended_actor(registry.store(), r) {
        Ok(false) => {}
        Ok(true) => {
            tracing::info!(to = %r, activity = id, "local recipient is suspended; not delivered");
            return;
        }
        // An account record that cannot be read does not lose the activity.
        Err(e) => {
            tracing::warn!(to = %r, activity = id, error = %e, "suspension unknown; delivering")
        }
    }
    // An actor that is stopping (passivated, or reloading after a failed commit) answers
    // with a mailbox error; the registry activates it afresh on the next try.
    let mut wait = Duration::from_millis(50);
    for attempt in 1..=LOCAL_ATTEMPTS {
        let msg = Receive {
            activity: activity.clone(),
            id: id.to_string(),
        };
        match registry.send(r, msg).await {
            Ok(_) => {
                tracing::debug!(to = %r, activity = id, "delivered locally");
                return;
            }
            Err(actors::ActorError::NotFound(what)) => {
                tracing::warn!(to = %r, activity = id, %what, "local recipient does not exist");
                return;
            }
            Err(e) if attempt < LOCAL_ATTEMPTS => {
                tracing::info!(to = %r, activity = id, error = %e, attempt, "local delivery will be retried");
                tokio::time::sleep(wait).await;
                wait *= 4;
            }
            Err(e) => {
                tracing::warn!(to = %r, activity = id, error = %e, "local delivery failed");
                return;
            }
        }
    }
}
