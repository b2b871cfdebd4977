//! The Project actor: a collection of components (repositories, trackers), with its own tree
//! (`project/<id>`), key, inbox and outbox. Its document names its `components` collection,
//! which lists the components whose admins accepted them (see `activities::components`).
//!
//! Keys in a project's tree:
//! - `component 0xFF <component iri>` -> JSON `Component`: an active component.
//! - `component-add 0xFF <Add id>` -> JSON `ComponentAdd`: every Add of a component that passed
//!   the project's checks (sender holds `maintain`), with its state: pending (waiting for the
//!   component's Accept), active, or removed.
//!
//! A component (Repository or TicketTracker) keeps the IRIs of its projects in its record,
//! `extra["projects"]` (a JSON array), and shows them as `context` in its actor document.

use crate::activities::components::AddState;
use crate::core::{ActorCore, ActorRecord};
use crate::error::Result;
use crate::kind::ActorKind;
use crate::messages::Resource;
use crate::storage::codec;
use crate::storage::layout::{self, COMPONENT, COMPONENT_ADD};
use actix::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

/// The record field of a component that lists its projects.
pub const PROJECTS: &str = "projects";

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
    core.urls.actor_sub(&core.r, "components")
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
        return Err(crate::error::ActorError::NotFound(
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

/// The projects a component belongs to (`extra["projects"]` of its record).
pub fn linked_projects(record: &ActorRecord) -> Vec<String> {
    record
        .extra
        .get(PROJECTS)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Replaces the projects a component belongs to (the caller saves the record).
pub fn set_linked_projects(record: &mut ActorRecord, projects: Vec<String>) {
    if projects.is_empty() {
        record.extra.remove(PROJECTS);
    } else {
        record.extra.insert(PROJECTS.into(), json!(projects));
    }
}

/// The `context` of a component's actor document: its project, or an array of them; None when
/// it belongs to no project.
pub fn context_of(record: &ActorRecord) -> Option<Value> {
    let projects = linked_projects(record);
    match projects.len() {
        0 => None,
        1 => Some(json!(projects[0])),
        _ => Some(json!(projects)),
    }
}

/// A local Project.
pub struct Project {
    pub core: ActorCore,
}

impl Actor for Project {
    type Context = Context<Self>;
}

impl Resource for Project {
    const KIND: ActorKind = ActorKind::Project;

    const ACCEPTS: &'static [&'static str] = &[
        "Follow", "Undo", "Invite", "Accept", "Remove", "Like", "Add",
    ];

    fn activate(core: ActorCore) -> Result<Self> {
        Ok(Project { core })
    }

    fn core(&self) -> &ActorCore {
        &self.core
    }

    fn core_mut(&mut self) -> &mut ActorCore {
        &mut self.core
    }

    fn document(&self) -> schema::Actor {
        let mut doc = self.core.document();
        doc.extra
            .insert("components".into(), json!(components_iri(&self.core)));
        doc
    }
}

crate::common_handlers!(Project);
