//! Which side of the component flow (project or component) an Add, Accept or Remove goes to.

use crate::activities::components::shared::is_component_kind;
use crate::activities::components::{component_side, project_side};
use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::base::kind::ActorKind;
use serde_json::Value;

/// Add received (by a Project or by a would-be component).
pub fn add(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    match core.r.kind {
        ActorKind::Project => project_side::add(core, activity, raw),
        k if is_component_kind(k) => component_side::add(core, activity, raw),
        _ => {
            tracing::info!("Add to an actor that has no components; ignored");
            Ok(())
        }
    }
}

/// Whether an Accept received by a resource belongs to the component flow.
pub fn handles_accept(core: &ActorCore, activity: &schema::Activity) -> Result<bool> {
    match core.r.kind {
        ActorKind::Project => project_side::handles_accept(core, activity),
        k if is_component_kind(k) => component_side::handles_accept(core, activity),
        _ => Ok(false),
    }
}

/// An Accept of the component flow.
pub fn accept(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    match core.r.kind {
        ActorKind::Project => project_side::accept(core, activity),
        k if is_component_kind(k) => component_side::accept(core, activity, raw),
        _ => Ok(()),
    }
}

/// Whether a Remove received by a resource belongs to the component flow. A Remove of a person
/// (revoking their Grants) does not.
pub fn handles_remove(core: &ActorCore, activity: &schema::Activity) -> Result<bool> {
    match core.r.kind {
        ActorKind::Project => project_side::handles_remove(core, activity),
        k if is_component_kind(k) => Ok(activity.object_id() == Some(&core.iri())),
        _ => Ok(false),
    }
}

/// A Remove of the component flow.
pub fn remove(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    match core.r.kind {
        ActorKind::Project => project_side::remove(core, activity, raw),
        k if is_component_kind(k) => component_side::remove(core, activity),
        _ => Ok(()),
    }
}
