//! Creating Factories: a C2S `Create{object: {type: Factory, name, availableActorTypes}}` posted
//! to a person's outbox, allowed only to Factory creators (`auth::has_role`); and the
//! `write` Grants resident Factories give every new local person.

use super::state::AppState;
use crate::error::{Error, Result};
use actors::creation;
use actors::factory::{parse_types, GrantRole};
use actors::messages::PostOutbox;
use actors::{ActorKind, ActorRef};
use serde_json::{json, Value};

/// True when the activity is a Create of a Factory.
pub fn is_factory_create(activity: &Value) -> bool {
    activity["type"] == "Create" && activity["object"]["type"] == "Factory"
}

/// Creates the Factory, publishes the person's Create (with the Factory's id), and has the new
/// Factory grant its creator `admin`. Answers the Create's id.
pub async fn create(state: &AppState, person: &ActorRef, mut activity: Value) -> Result<url::Url> {
    if !super::auth::has_role(state, &person.id, actors::accounts::Role::FactoryCreator)? {
        return Err(Error::Forbidden(format!(
            "{} is not allowed to create Factories (see [accounts] factory_creators and `orchard admin grant`)",
            person.id
        )));
    }
    let object = &activity["object"];
    let name = creation::validate_name(object["name"].as_str()).map_err(Error::BadRequest)?;
    let types = parse_types(object.get("availableActorTypes")).map_err(Error::BadRequest)?;
    let summary = object["summary"].as_str().map(str::to_string);
    let creator = state.urls.actor(person);
    let mut extra = creation::provenance(&creator, None);
    extra.insert("availableActorTypes".into(), json!(types));
    let env = state.registry.env().clone();
    let prepared = {
        let env = env.clone();
        tokio::task::spawn_blocking(move || {
            creation::prepare(&env, ActorKind::Factory, &name, summary, extra)
        })
        .await
        .map_err(actors::ActorError::from)??
    };
    creation::commit(&env, &prepared)?;
    let factory_iri = state.urls.actor(&prepared.r);
    activity["object"]["id"] = json!(factory_iri);
    activity["object"]["availableActorTypes"] = json!(types);
    let create_id = state.registry.send(person, PostOutbox(activity)).await?;
    creation::grant_creator(&env, &prepared.r, &creator, &create_id)?;
    tracing::info!(factory = %factory_iri, creator = %creator, "factory created");
    Ok(create_id)
}

/// Grants `write` on every resident Factory to a new person.
pub async fn grant_resident(state: &AppState, person: &ActorRef) {
    let target = state.urls.actor(person);
    for entry in &state.settings.accounts.resident_factories {
        let Some(id) = state.settings.resident_factory_id(entry) else {
            continue;
        };
        let factory = ActorRef::new(ActorKind::Factory, id);
        let msg = GrantRole {
            target: target.clone(),
            role: schema::Role::Write,
        };
        match state
            .registry
            .get::<actors::factory::Factory>(&factory.id)
            .await
        {
            Ok(addr) => match addr.send(msg).await {
                Ok(Ok(grant)) => tracing::info!(%grant, "resident factory granted write"),
                Ok(Err(e)) => {
                    tracing::warn!(factory = %factory, error = %e, "resident grant failed")
                }
                Err(e) => tracing::warn!(factory = %factory, error = %e, "resident grant failed"),
            },
            Err(e) => tracing::warn!(factory = %factory, error = %e, "resident factory not found"),
        }
    }
}
