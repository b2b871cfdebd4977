//! Projects and their components (ForgeFed `Add`/`Remove` to a project's `components`): the
//! project side (`project_side`) and the component side, a Repository or TicketTracker
//! (`component_side`), of adding and removing.
//!
//! 1. A maintainer M of project P sends `Add{object: C, target: <P>/components, capability}` to
//!    P and C. P checks the Grant (`maintain`) and keeps a pending entry; C keeps a pending link.
//! 2. An admin D of C sends `Accept{object: <the Add>, capability: <D's admin Grant on C>}` to C.
//!    C checks the Grant (`admin`), links itself to P and sends its own `Accept{object: <the Add,
//!    embedded>}` to P (and D, M). P then lists C in `components`.
//! 3. `Remove{object: C, origin: <P>/components, capability}` by a maintainer: P drops C and sends
//!    its own `Remove` to C, which drops the link.
//!
//! Every handler is idempotent: a replayed or repeated activity changes nothing.

mod component_side;
mod project_side;

use crate::core::ActorCore;
use crate::error::Result;
use crate::kind::ActorKind;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

/// The state of one Add, on either side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AddState {
    /// Waiting for the component's admin (component side) or the component (project side).
    Pending,
    /// Accepted: the component belongs to the project.
    Active,
    /// Removed (or withdrawn before it was accepted).
    Removed,
}

/// Whether this actor kind can be a component of a project.
pub fn is_component_kind(kind: ActorKind) -> bool {
    matches!(kind, ActorKind::Repository | ActorKind::TicketTracker)
}

/// The project a `components` collection belongs to: the embedded collection's `context` when
/// given, else the collection's IRI without its last segment `components`.
pub fn project_of_collection(collection: Option<&schema::ObjectRef>) -> Option<Url> {
    let collection = collection?;
    if let Some(ctx) = collection.as_object().and_then(|o| o.context_id()) {
        return Some(ctx.clone());
    }
    let iri = collection.id()?;
    crate::urls::owner_of_collection(iri, crate::urls::Collection::Components)
}

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
        ActorKind::Project => project_side::accept(core, activity, raw),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn collection(s: &str) -> schema::ObjectRef {
        schema::ObjectRef::from(Url::parse(s).expect("url"))
    }

    #[test]
    fn the_project_of_a_components_collection() {
        let p = project_of_collection(Some(&collection("http://a.example/projects/p/components")));
        assert_eq!(
            p.map(String::from).as_deref(),
            Some("http://a.example/projects/p")
        );
        for s in [
            "http://a.example/projects/p/followers",
            "http://a.example/components",
            "http://a.example/projects/p/components?page=1",
        ] {
            assert_eq!(project_of_collection(Some(&collection(s))), None, "{s}");
        }
        assert_eq!(project_of_collection(None), None);
    }
}
