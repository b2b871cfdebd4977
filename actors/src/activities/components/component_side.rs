//! The component's side (a Repository or TicketTracker): an Add of this component to a project
//! waits for the component's admin; the admin's Accept (checked: `admin`) links the component to
//! the project and sends the component's own Accept to the project; the project's Remove drops
//! the link.
//!
//! Keys in the component's tree:
//! - `project-add 0xFF <Add id>` -> JSON `ProjectAdd`: an Add of this component to a project,
//!   with the Add itself (embedded in the component's Accept) and its state.
//!
//! The projects the component belongs to are `extra["projects"]` of its record.

use crate::actor::record::{linked_projects, set_linked_projects};
use crate::actor::state::ActorCore;
use crate::base::clock::now_rfc3339;
use crate::base::error::Result;
use crate::base::kind::ActorKind;
use crate::data::components::AddState;
use crate::grants::capability;
use crate::publish::outbox;
use crate::publish::reject::reject;
use crate::storage::codec;
use crate::storage::layout;
use crate::storage::layout::PROJECT_ADD;
use schema::Role;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

/// An Add of this component to a project.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProjectAdd {
    pub project: String,
    /// The Add's actor (the project's maintainer).
    pub by: String,
    /// The Add as received, without `@context`.
    pub add: Value,
    pub state: AddState,
    pub since: String,
}

fn key(add_id: &str) -> Vec<u8> {
    layout::key(PROJECT_ADD, add_id.as_bytes())
}

fn get(core: &ActorCore, add_id: &str) -> Result<Option<ProjectAdd>> {
    match core.tree.get(key(add_id))? {
        Some(v) => Ok(Some(codec::decode(&v)?)),
        None => Ok(None),
    }
}

fn put(core: &ActorCore, add_id: &str, entry: &ProjectAdd) -> Result<()> {
    core.tree.insert(key(add_id), codec::encode(entry)?)?;
    Ok(())
}

/// An Add of this component to a project's `components`: kept until its admin answers.
pub fn add(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    if activity.object_id() != Some(&core.iri()) {
        tracing::info!("Add of something else; ignored");
        return Ok(());
    }
    let Some(project) =
        crate::activities::components::shared::project_of_collection(activity.target.as_ref())
    else {
        tracing::info!(target = ?activity.target_id(), "Add to something other than a project's components; ignored");
        return Ok(());
    };
    let not_a_project = core.env.urls.is_local(&project)
        && core
            .env
            .urls
            .parse_actor(&project)
            .is_none_or(|r| r.kind != ActorKind::Project);
    let (Some(id), Some(by), false) = (&activity.id, activity.actor_id(), not_a_project) else {
        tracing::info!(%project, "Add without id or actor, or to a non-project; ignored");
        return Ok(());
    };
    if get(core, id.as_str())?.is_some() {
        return Ok(());
    }
    if linked_projects(&core.record).contains(&project.to_string()) {
        tracing::info!(%project, "already a component of this project; Add ignored");
        return Ok(());
    }
    let entry = ProjectAdd {
        project: project.to_string(),
        by: by.to_string(),
        add: crate::base::embed::embedded(raw),
        state: AddState::Pending,
        since: now_rfc3339(),
    };
    put(core, id.as_str(), &entry)?;
    tracing::info!(%project, add = %id, "Add to a project pending the admin's Accept");
    Ok(())
}

/// An Accept of an Add of this component to a project.
pub fn handles_accept(core: &ActorCore, activity: &schema::Activity) -> Result<bool> {
    match activity.object_id() {
        Some(id) => Ok(get(core, id.as_str())?.is_some()),
        None => Ok(false),
    }
}

/// The component's admin accepts: link to the project and tell it (and the admin and the
/// maintainer who sent the Add).
pub fn accept(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    let Some(add_id) = activity.object_id().cloned() else {
        return Ok(());
    };
    let Some(mut entry) = get(core, add_id.as_str())? else {
        return Ok(());
    };
    if let Err(why) = capability::check(core, activity, Role::Admin) {
        return reject(core, activity, raw, &why);
    }
    match entry.state {
        AddState::Active => return Ok(()),
        AddState::Removed => {
            return reject(core, activity, raw, "the project withdrew this Add");
        }
        AddState::Pending => {}
    }
    // Tell the project first, then link, then mark the Add: a replay after a crash at any step
    // ends in the same state (the project ignores a second Accept of an active Add).
    let mut to: Vec<Url> = Vec::new();
    for iri in [
        Some(entry.project.as_str()),
        activity.actor_id().map(Url::as_str),
        Some(entry.by.as_str()),
    ]
    .into_iter()
    .flatten()
    {
        if let Ok(u) = Url::parse(iri) {
            if !to.contains(&u) {
                to.push(u);
            }
        }
    }
    outbox::emit(core, "Accept", json!({ "object": entry.add }), &to)?;
    let mut projects = linked_projects(&core.record);
    if !projects.contains(&entry.project) {
        projects.push(entry.project.clone());
        set_linked_projects(&mut core.record, projects);
        core.save_record()?;
    }
    entry.state = AddState::Active;
    put(core, add_id.as_str(), &entry)?;
    tracing::info!(project = %entry.project, "linked to the project");
    Ok(())
}

/// A Remove of this component: only a project it belongs to (or was being added to) may drop
/// the link; a maintainer's Remove addressed here too changes nothing (the project follows up).
pub fn remove(core: &mut ActorCore, activity: &schema::Activity) -> Result<()> {
    let Some(sender) = activity.actor_id().map(Url::to_string) else {
        return Ok(());
    };
    let mut changed = false;
    let pre = layout::prefix(PROJECT_ADD);
    for item in core.tree.scan_prefix(&pre) {
        let (k, v) = item?;
        let mut entry: ProjectAdd = codec::decode(&v)?;
        if entry.project == sender && entry.state != AddState::Removed {
            entry.state = AddState::Removed;
            core.tree.insert(k, codec::encode(&entry)?)?;
            changed = true;
        }
    }
    let mut projects = linked_projects(&core.record);
    if projects.contains(&sender) {
        projects.retain(|p| *p != sender);
        set_linked_projects(&mut core.record, projects);
        core.save_record()?;
        changed = true;
    }
    if changed {
        tracing::info!(project = %sender, "left the project");
    } else {
        tracing::info!(%sender, "Remove of this component by a non-project; ignored");
    }
    Ok(())
}
