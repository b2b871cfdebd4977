//! A delivery job given up (failed for good, or still failing at the horizon after its
//! retries): logged, and recorded as `undelivered` in the error box of the local actor that
//! sent it (`actors::data::error_box`), with the remote recipient (or inbox) and its host.

use actors::data::error_box::{self, host_of, Entry, Stage, MAX_TEXT};
use actors::storage::delivery_queue::Job;
use actors::{ActorRef, Registry};
use serde_json::Value;

/// The job was given up for `why`; `horizon`: after retrying until the horizon.
pub fn given_up(registry: &Registry, job: &Job, why: &str, horizon: bool) {
    if horizon {
        tracing::warn!(inbox = ?job.inbox, activity = %job.activity_id, reason = %why, attempts = job.attempts, "delivery given up after the horizon");
    } else {
        tracing::warn!(inbox = ?job.inbox, activity = %job.activity_id, reason = %why, "delivery failed for good");
    }
    let Some(sender) = ActorRef::from_tree_name(&job.from) else {
        return;
    };
    let why = match horizon {
        true => format!("given up after {} attempts: {why}", job.attempts),
        false => format!("failed for good: {why}"),
    };
    let mut entry = Entry::new(Stage::Undelivered, why);
    let recipient = job.recipient.as_ref().or(job.inbox.as_ref());
    entry.recipient = recipient.map(|r| error_box::clip(r, MAX_TEXT));
    entry.host = job.inbox.as_ref().or(recipient).and_then(|i| host_of(i));
    entry.activity = Some(error_box::clip(&job.activity_id, MAX_TEXT));
    entry.actor = Some(registry.urls().actor(&sender).to_string());
    let body: Option<Value> = serde_json::from_str(&job.body).ok();
    entry.activity_type = body.as_ref().and_then(|b| {
        b.get("type")?
            .as_str()
            .map(|t| error_box::clip(t, MAX_TEXT))
    });
    error_box::record(registry.store(), Some(&sender), &entry);
}
