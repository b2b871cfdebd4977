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

use crate::activities::consent;
use crate::actor::record::{linked_projects, set_linked_projects};
use crate::actor::state::ActorCore;
use crate::base::clock::now_rfc3339;
use crate::base::error::Result;
use crate::base::kind::ActorKind;
use crate::data::components::AddState;
use crate::publish::reject::reject;
use crate::storage::layout::PROJECT_ADD;
use serde::{Deserialize, Serialize};
use serde_json::Value;
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

fn get(core: &ActorCore, add_id: &str) -> Result<Option<ProjectAdd>> {
    consent::get(core, PROJECT_ADD, add_id)
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
    consent::put(core, PROJECT_ADD, id.as_str(), &entry)?;
    tracing::info!(%project, add = %id, "Add to a project pending the admin's Accept");
    Ok(())
}

/// An Accept of an Add of this component to a project.
pub fn handles_accept(core: &ActorCore, activity: &schema::Activity) -> Result<bool> {
    consent::answers_kept(core, PROJECT_ADD, activity)
}

/// The component's admin accepts: link to the project and tell it (and the admin and the
/// maintainer who sent the Add).
pub fn accept(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    let Some((add_id, mut entry)) =
        consent::admin_accept::<ProjectAdd>(core, activity, raw, PROJECT_ADD)?
    else {
        return Ok(());
    };
    match entry.state {
        AddState::Active => return Ok(()),
        AddState::Removed => {
            return reject(core, activity, raw, "the project withdrew this Add");
        }
        AddState::Pending => {}
    }
    // Tell the project first, then link, then mark the Add: a replay after a crash at any step
    // ends in the same state (the project ignores a second Accept of an active Add).
    consent::accept_invitation(core, activity, &entry.add, &entry.project, &entry.by)?;
    let mut projects = linked_projects(&core.record);
    if !projects.contains(&entry.project) {
        projects.push(entry.project.clone());
        set_linked_projects(&mut core.record, projects);
        core.save_record()?;
    }
    entry.state = AddState::Active;
    consent::put(core, PROJECT_ADD, &add_id, &entry)?;
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
    for (add_id, mut entry) in consent::all::<ProjectAdd>(core, PROJECT_ADD)? {
        if entry.project == sender && entry.state != AddState::Removed {
            entry.state = AddState::Removed;
            consent::put(core, PROJECT_ADD, &add_id, &entry)?;
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
