//! Refusing a received activity: a Reject embedding it, with the reason as `summary`, sent to
//! its actor, and recorded in the actor's error box (`data::error_box`). Callers decide to
//! refuse (e.g. on a `grants::capability::Refusal`); this sends.

use crate::actor::state::ActorCore;
use crate::base::embed::embedded;
use crate::base::error::Result;
use crate::data::error_box::{self, Entry, Stage};
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
    let entry = Entry::about(Stage::Rejected, raw, &why).to(core.iri());
    error_box::record(&core.env.store, Some(&core.r), &entry);
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
