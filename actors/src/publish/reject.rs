//! Refusing a received activity: a Reject embedding it, with the reason as `summary`, sent to
//! its actor. Callers decide to refuse (e.g. on a `grants::capability::Refusal`); this sends.

use crate::actor::state::ActorCore;
use crate::base::embed::embedded;
use crate::base::error::Result;
use crate::publish::outbox;
use serde_json::{json, Value};
use std::fmt::Display;

/// Sends a Reject of an activity to its actor, with the reason.
pub fn reject(
    core: &ActorCore,
    activity: &schema::Activity,
    raw: &Value,
    why: impl Display,
) -> Result<()> {
    let why = why.to_string();
    tracing::info!(reason = %why, "rejecting activity");
    let Some(sender) = activity.actor_id() else {
        return Ok(());
    };
    outbox::emit(
        core,
        "Reject",
        json!({ "object": embedded(raw), "summary": why }),
        std::slice::from_ref(sender),
    )?;
    Ok(())
}
