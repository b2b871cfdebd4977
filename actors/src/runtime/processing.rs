//! Processing an actor's stored, unprocessed inbox items, oldest first: each is parsed and
//! dispatched to its handler in `activities`. A handler error is logged and the item is not
//! retried (handlers are idempotent; a bad activity stays bad); it is recorded in the actor's
//! error box (`refused`), as are a stored activity that does not parse and an ignored one
//! about the actor.

use crate::base::error::Result;
use crate::runtime::accepted::{parse, Door};
use crate::runtime::refused;
use crate::runtime::resource::Resource;
use serde_json::Value;

/// Processes every stored, unprocessed inbox item of the actor, oldest first. A handler error
/// is logged and the item is not retried (handlers are idempotent; a bad activity stays bad).
pub fn process_pending<A: Resource>(actor: &mut A, ctx: &mut actix::Context<A>) -> Result<usize> {
    let mut done = 0;
    while let Some((seq, raw)) = actor.core().next_pending()? {
        actor.core().begin_item(seq);
        process_one(actor, &raw, ctx);
        if actor.core().is_held() {
            // Its processing goes on asynchronously; it is marked processed when done.
            break;
        }
        actor.core().end_item(seq)?;
        done += 1;
    }
    if done == 0 {
        actor.core().clear_pending_entry_if_idle()?;
    }
    Ok(done)
}

/// Processes one stored activity: parsed once at the door into the kind's accepted enum, then
/// handed to the kind (errors are logged: the item is not retried).
pub fn process_one<A: Resource>(actor: &mut A, raw: &Value, ctx: &mut actix::Context<A>) {
    let id = raw.get("id").and_then(Value::as_str).unwrap_or_default();
    let kind = raw.get("type").and_then(Value::as_str).unwrap_or_default();
    // Every line of its processing names the activity's actor, the activity and the recipient.
    let recipient = actor.core().iri();
    let span = tracing::info_span!("activity", actor = sender(raw), activity = %id, %recipient, kind = %kind);
    let _enter = span.enter();
    let accepted = match parse::<A::Accepted>(raw) {
        Door::Accepted(a) => a,
        Door::Ignored(kind) => {
            tracing::debug!(kind, "activity type not handled by this actor; ignored");
            refused::ignored(actor.core(), raw, &kind);
            return;
        }
        Door::Malformed(e) => {
            tracing::warn!(error = %e, "stored activity does not parse; skipped");
            refused::malformed(actor.core(), raw, &e);
            return;
        }
    };
    match actor.handle_activity(accepted, raw, ctx) {
        Ok(()) => tracing::debug!("activity processed"),
        Err(e) => {
            tracing::warn!(error = %e, "activity refused");
            refused::failed(actor.core(), raw, &e);
        }
    }
}

/// The IRI of an activity's actor (`actor` as a string, or an object's `id`), for logs.
fn sender(raw: &Value) -> &str {
    let actor = raw.get("actor");
    actor
        .and_then(Value::as_str)
        .or_else(|| actor?.get("id")?.as_str())
        .unwrap_or_default()
}
