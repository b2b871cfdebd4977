//! The origin's side of a fork (ForgeFed "Forks and Migrations"): a Repository that receives a
//! person's `Create` of a Repository whose `origin` is it, and the Factory's `Accept` of that
//! Create (with the new repository as `result`), lists the new repository in its `forks`
//! collection once it has seen both, in either order. The Accept counts only when its actor is
//! the Create's Factory (the Create's `origin`, or else one of its addressees) and names a
//! `result`; an Accept that arrives first is kept until its Create does (`data::forks`).

use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::data::forks::{self, ForkAccept};
use serde_json::Value;
use url::Url;

/// Whether a Create (as JSON) creates a Repository whose `origin` is `me`.
pub fn forks(create: &Value, me: &Url) -> bool {
    let object = &create["object"];
    let origin = match &object["origin"] {
        Value::String(s) => Some(s.as_str()),
        o => o["id"].as_str(),
    };
    create["type"] == "Create" && object["type"] == "Repository" && origin == Some(me.as_str())
}

/// Whether an Accept is a Factory's Accept of a Create forking this repository (embedded, or
/// named by the IRI of a Create this repository received).
pub fn is_fork_accept(core: &ActorCore, accept: &schema::Activity, raw: &Value) -> bool {
    let me = core.iri();
    if forks(&raw["object"], &me) {
        return true;
    }
    let Some(create) = accept.object_id() else {
        return false;
    };
    matches!(core.received_activity(create.as_str()), Ok(Some(c)) if forks(&c, &me))
}

/// The Factory a Create was sent to: its `origin`, else any addressee (checked by the caller
/// against the Accept's actor).
fn sent_to(create: &schema::Activity, factory: &Url) -> bool {
    match create.origin_id() {
        Some(origin) => origin == factory,
        None => create.recipients().contains(&factory),
    }
}

/// A Create forking this repository: if its Factory's Accept came first, the fork is listed
/// now; otherwise nothing happens until the Accept arrives.
pub fn created(core: &mut ActorCore, create: &schema::Activity) -> Result<()> {
    let Some(id) = create.id.as_ref() else {
        return Ok(());
    };
    let Some(accept) = forks::take_accept(core, id)? else {
        return Ok(());
    };
    match (Url::parse(&accept.factory), Url::parse(&accept.fork)) {
        (Ok(factory), Ok(fork)) if sent_to(create, &factory) => forks::add(core, &fork, id),
        _ => {
            tracing::info!(actor = %core.r, create = %id, "fork Accept not by the Create's Factory; ignored");
            Ok(())
        }
    }
}

/// A Factory's Accept of a Create forking this repository.
pub fn accepted(core: &mut ActorCore, accept: &schema::Activity) -> Result<()> {
    let (Some(create_id), Some(factory), Some(fork)) = (
        accept.object_id().cloned(),
        accept.actor_id().cloned(),
        accept.result.as_ref().and_then(|r| r.id()).cloned(),
    ) else {
        tracing::info!(actor = %core.r, "fork Accept without object, actor or result; ignored");
        return Ok(());
    };
    let received = core.received_activity(create_id.as_str())?;
    let create = received.and_then(|c| serde_json::from_value::<schema::Activity>(c).ok());
    match create {
        Some(create) if sent_to(&create, &factory) => forks::add(core, &fork, &create_id),
        Some(_) => {
            tracing::info!(actor = %core.r, %factory, "fork Accept not by the Create's Factory; ignored");
            Ok(())
        }
        None => {
            let pending = ForkAccept {
                factory: factory.to_string(),
                fork: fork.to_string(),
            };
            forks::put_accept(core, &create_id, &pending)
        }
    }
}
