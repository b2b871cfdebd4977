//! Projects and their components (ForgeFed `Add`/`Remove` to a project's `components`): the
//! project side and the component side (Repository or TicketTracker) of adding and removing.
//!
//! STUB: being implemented; every function below keeps its signature.

use crate::core::ActorCore;
use crate::error::Result;
use serde_json::Value;

/// Add received (by a Project or by a would-be component).
pub fn add(_core: &mut ActorCore, _activity: &schema::Activity, _raw: &Value) -> Result<()> {
    Ok(())
}

/// Whether an Accept received by a resource belongs to the component flow.
pub fn handles_accept(_core: &ActorCore, _activity: &schema::Activity) -> Result<bool> {
    Ok(false)
}

/// An Accept of the component flow.
pub fn accept(_core: &mut ActorCore, _activity: &schema::Activity, _raw: &Value) -> Result<()> {
    Ok(())
}

/// Whether a Remove received by a resource belongs to the component flow.
pub fn handles_remove(_core: &ActorCore, _activity: &schema::Activity) -> Result<bool> {
    Ok(false)
}

/// A Remove of the component flow.
pub fn remove(_core: &mut ActorCore, _activity: &schema::Activity, _raw: &Value) -> Result<()> {
    Ok(())
}
