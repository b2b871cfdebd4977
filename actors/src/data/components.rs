//! The storage of projects and their components: a project's `components` collection (the
//! components whose admins accepted them, see `activities::components`) and the Adds it received.
//!
//! Keys in a project's tree:
//! - `component 0xFF <component iri>` -> JSON `Component`: an active component.
//! - `component-add 0xFF <Add id>` -> JSON `ComponentAdd`: every Add of a component that passed
//!   the project's checks (sender holds `maintain`), with its state: pending (waiting for the
//!   component's Accept), active, or removed.
//!
//! A component (Repository or TicketTracker) keeps the IRIs of its projects in its record,
//! `extra["projects"]` (a JSON array), and shows them as `context` in its actor document.

use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::base::kind::ActorKind;
use crate::storage::codec;
use crate::storage::layout;
use crate::storage::layout::COMPONENT;
use crate::storage::layout::COMPONENT_ADD;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
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

/// An active component of a project.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Component {
    /// The Add that made it a component.
    pub add: String,
    /// When the component's Accept arrived (RFC 3339).
    pub since: String,
}

/// An Add of a component to a project, as the project keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ComponentAdd {
    pub component: String,
    /// The maintainer who sent the Add.
    pub by: String,
    pub state: AddState,
    pub since: String,
}

/// The IRI of a project's `components` collection.
pub fn components_iri(core: &ActorCore) -> Url {
    core.env
        .urls
        .collection(&core.r, crate::urls::Collection::Components)
}

/// The active component entry of an IRI.
pub fn component(core: &ActorCore, iri: &Url) -> Result<Option<Component>> {
    match core
        .tree
        .get(layout::key(COMPONENT, iri.as_str().as_bytes()))?
    {
        Some(v) => Ok(Some(codec::decode(&v)?)),
        None => Ok(None),
    }
}

/// Makes (or keeps) an IRI an active component.
pub fn put_component(core: &ActorCore, iri: &Url, entry: &Component) -> Result<()> {
    core.tree.insert(
        layout::key(COMPONENT, iri.as_str().as_bytes()),
        codec::encode(entry)?,
    )?;
    Ok(())
}

/// Drops an active component; answers whether it was one.
pub fn drop_component(core: &ActorCore, iri: &Url) -> Result<bool> {
    Ok(core
        .tree
        .remove(layout::key(COMPONENT, iri.as_str().as_bytes()))?
        .is_some())
}

/// The active components, in IRI order.
pub fn components(core: &ActorCore) -> Result<Vec<Url>> {
    let pre = layout::prefix(COMPONENT);
    let mut out = Vec::new();
    for entry in core.tree.scan_prefix(&pre) {
        let (k, _) = entry?;
        if let Ok(iri) = Url::parse(&String::from_utf8_lossy(&k[pre.len()..])) {
            out.push(iri);
        }
    }
    Ok(out)
}

/// Items of the `components` collection: the active components' IRIs (empty for non-projects).
pub fn components_items(core: &ActorCore) -> Result<Vec<Value>> {
    if core.r.kind != ActorKind::Project {
        return Err(crate::base::error::ActorError::NotFound(
            "collection components".into(),
        ));
    }
    Ok(components(core)?.into_iter().map(|i| json!(i)).collect())
}

fn add_key(add_id: &str) -> Vec<u8> {
    layout::key(COMPONENT_ADD, add_id.as_bytes())
}

/// One Add this project received, by the Add's id.
pub fn component_add(core: &ActorCore, add_id: &str) -> Result<Option<ComponentAdd>> {
    match core.tree.get(add_key(add_id))? {
        Some(v) => Ok(Some(codec::decode(&v)?)),
        None => Ok(None),
    }
}

/// Stores an Add's entry.
pub fn put_component_add(core: &ActorCore, add_id: &str, entry: &ComponentAdd) -> Result<()> {
    core.tree.insert(add_key(add_id), codec::encode(entry)?)?;
    Ok(())
}

/// Every Add of one component this project received: (Add id, entry).
pub fn adds_of(core: &ActorCore, iri: &Url) -> Result<Vec<(String, ComponentAdd)>> {
    let pre = layout::prefix(COMPONENT_ADD);
    let mut out = Vec::new();
    for entry in core.tree.scan_prefix(&pre) {
        let (k, v) = entry?;
        let add: ComponentAdd = codec::decode(&v)?;
        if add.component == iri.as_str() {
            let id = String::from_utf8_lossy(&k[pre.len()..]).to_string();
            out.push((id, add));
        }
    }
    Ok(out)
}
