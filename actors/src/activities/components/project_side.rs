//! The project's side: an Add of a component checked against the sender's Grant (`maintain`)
//! and kept pending; the component's own Accept makes it a component; a maintainer's Remove
//! drops it and tells the component. Storage: see `crate::data::components`.

use crate::actor::state::ActorCore;
use crate::base::clock::now_rfc3339;
use crate::base::error::Result;
use crate::base::kind::ActorKind;
use crate::data::components::AddState;
use crate::data::components::{self as project, Component, ComponentAdd};
use crate::grants::capability;
use crate::publish::outbox;
use crate::publish::reject::reject;
use schema::Role;
use serde_json::{json, Value};
use url::Url;

/// Why an object cannot be a component, if it cannot. A local object must be an existing
/// Repository or TicketTracker; a remote one is taken as it is (an embedded one is checked
/// against its `type`).
fn unfit_component(core: &ActorCore, activity: &schema::Activity, c: &Url) -> Option<String> {
    if core.env.urls.is_local(c) {
        let fits = core.env.urls.parse_actor(c).is_some_and(|r| {
            crate::activities::components::shared::is_component_kind(r.kind)
                && core.env.store.actor_exists(&r).unwrap_or(false)
        });
        return (!fits)
            .then(|| format!("{c} is not a repository or ticket tracker of this instance"));
    }
    let embedded = activity.object.as_ref().and_then(|o| o.as_object());
    match embedded.and_then(|o| o.primary_type()) {
        Some(t)
            if ActorKind::from_type(t)
                .is_none_or(|k| !crate::activities::components::shared::is_component_kind(k)) =>
        {
            Some(format!("a {t} cannot be a component of a project"))
        }
        _ => None,
    }
}

/// An Add to this project's `components`.
pub fn add(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    let mine = project::components_iri(core);
    if activity.target_id() != Some(&mine) {
        tracing::info!(target = ?activity.target_id(), "Add to another collection; ignored");
        return Ok(());
    }
    let Some(id) = activity.id.clone() else {
        return reject(core, activity, raw, "an Add of a component needs an id");
    };
    let Some(c) = activity.object_id().cloned() else {
        return reject(core, activity, raw, "the Add has no object (the component)");
    };
    if let Some(why) = unfit_component(core, activity, &c) {
        return reject(core, activity, raw, &why);
    }
    if let Err(why) = capability::check(core, activity, Role::Maintain) {
        return reject(core, activity, raw, &why);
    }
    if project::component_add(core, id.as_str())?.is_some() {
        return Ok(());
    }
    if project::component(core, &c)?.is_some() {
        tracing::info!(component = %c, "already a component; Add ignored");
        return Ok(());
    }
    let by = activity.actor_id().map(Url::to_string).unwrap_or_default();
    let entry = ComponentAdd {
        component: c.to_string(),
        by,
        state: AddState::Pending,
        since: now_rfc3339(),
    };
    project::put_component_add(core, id.as_str(), &entry)?;
    tracing::info!(component = %c, add = %id, "component pending its admin's Accept");
    Ok(())
}

/// The embedded Add of an Accept, when it adds something to this project's `components`.
fn embedded_add(core: &ActorCore, activity: &schema::Activity) -> Option<schema::Activity> {
    let add: schema::Activity = activity.object_as()?;
    (add.kind == "Add" && add.target_id() == Some(&project::components_iri(core))).then_some(add)
}

/// An Accept of an Add this project keeps, or of an Add to its `components`.
pub fn handles_accept(core: &ActorCore, activity: &schema::Activity) -> Result<bool> {
    if let Some(id) = activity.object_id() {
        if project::component_add(core, id.as_str())?.is_some() {
            return Ok(true);
        }
    }
    Ok(embedded_add(core, activity).is_some())
}

/// Sends `Remove{object: component, origin: <P>/components}` to the component (and others).
fn send_remove(core: &ActorCore, component: &Url, also: Option<&Url>) -> Result<()> {
    let mut to = vec![component.clone()];
    to.extend(also.filter(|a| *a != component).cloned());
    let fields = json!({"object": component, "origin": project::components_iri(core)});
    outbox::emit(core, "Remove", fields, &to)?;
    Ok(())
}

/// Tells an actor that accepted a stale Add that it is not a component, unless it is one
/// through another Add.
fn send_remove_unless_component(core: &ActorCore, sender: &Url) -> Result<()> {
    if project::component(core, sender)?.is_some() {
        return Ok(());
    }
    send_remove(core, sender, None)
}

/// The component's own Accept makes it a component. Accepts by anyone else (e.g. a copy of its
/// admin's Accept) change nothing. A component that is not a component here and accepts an Add
/// this project never approved (or already removed) is sent a Remove, so that both sides agree.
pub fn accept(core: &mut ActorCore, activity: &schema::Activity) -> Result<()> {
    let (Some(sender), Some(add_id)) = (activity.actor_id(), activity.object_id()) else {
        return Ok(());
    };
    let Some(mut entry) = project::component_add(core, add_id.as_str())? else {
        let Some(add) = embedded_add(core, activity) else {
            return Ok(());
        };
        if add.object_id() == Some(sender) {
            tracing::info!(component = %sender, "Accept of an Add this project did not approve");
            return send_remove_unless_component(core, sender);
        }
        return Ok(());
    };
    if entry.component != sender.as_str() {
        tracing::info!(%sender, "Accept by someone other than the component; waiting for it");
        return Ok(());
    }
    match entry.state {
        AddState::Active => Ok(()),
        AddState::Removed => send_remove_unless_component(core, sender),
        AddState::Pending => {
            if project::component(core, sender)?.is_none() {
                let c = Component {
                    add: add_id.to_string(),
                    since: now_rfc3339(),
                };
                project::put_component(core, sender, &c)?;
            }
            entry.state = AddState::Active;
            project::put_component_add(core, add_id.as_str(), &entry)?;
            tracing::info!(component = %sender, "component added");
            Ok(())
        }
    }
}

/// A Remove from this project's `components`, or of one of its (pending) components.
pub fn handles_remove(core: &ActorCore, activity: &schema::Activity) -> Result<bool> {
    let mine = project::components_iri(core);
    if activity.origin_id() == Some(&mine) || activity.target_id() == Some(&mine) {
        return Ok(true);
    }
    let Some(c) = activity.object_id() else {
        return Ok(false);
    };
    Ok(project::component(core, c)?.is_some() || !project::adds_of(core, c)?.is_empty())
}

/// A maintainer removes a component (or withdraws a pending Add of it).
pub fn remove(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    let Some(c) = activity.object_id().cloned() else {
        return reject(
            core,
            activity,
            raw,
            "the Remove has no object (the component)",
        );
    };
    if let Err(why) = capability::check(core, activity, Role::Maintain) {
        return reject(core, activity, raw, &why);
    }
    let adds: Vec<_> = project::adds_of(core, &c)?
        .into_iter()
        .filter(|(_, entry)| entry.state != AddState::Removed)
        .collect();
    if project::component(core, &c)?.is_none() && adds.is_empty() {
        tracing::info!(component = %c, "not a component; nothing to remove");
        return Ok(());
    }
    // Tell the component first: a replay after a crash sends the Remove again, harmlessly.
    send_remove(core, &c, activity.actor_id())?;
    project::drop_component(core, &c)?;
    for (id, mut entry) in adds {
        entry.state = AddState::Removed;
        project::put_component_add(core, &id, &entry)?;
    }
    tracing::info!(component = %c, "component removed");
    Ok(())
}
