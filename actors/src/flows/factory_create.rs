//! Creating a Factory for a local person: a C2S `Create{object: {type: Factory, name,
//! availableActorTypes}}` posted to their outbox. The person's actor validates the object,
//! creates the Factory (its key generated off the actor thread) and publishes the Create naming
//! it (`CreateFactory`); the new Factory then grants its creator `admin`, fulfilling the Create
//! (`GrantCreator`). Also the `write` Grants resident Factories give every new person
//! (`grant_resident`). Who may create Factories (account roles) is the caller's to check;
//! `client_post` runs the whole flow.

use crate::base::error::{ActorError, Result};
use crate::base::kind::{ActorKind, ActorRef};
use crate::kinds::creation;
use crate::kinds::factory::{parse_types, Factory, GrantRole};
use crate::kinds::person::Person;
use crate::registry::Registry;
use crate::runtime::c2s;
use actix::prelude::*;
use serde_json::{json, Value};
use url::Url;

/// True when the activity is a Create of a Factory.
pub fn is_factory_create(activity: &Value) -> bool {
    activity["type"] == "Create" && activity["object"]["type"] == "Factory"
}

/// To a Person: create the Factory its Create describes and publish that Create (with the new
/// Factory's id). Answers what the creator's Grant needs.
#[derive(Message)]
#[rtype(result = "Result<CreatedFactory>")]
pub struct CreateFactory(pub Value);

/// A Factory created for a person's Create.
pub struct CreatedFactory {
    pub factory: ActorRef,
    /// The person's published Create.
    pub create: Url,
    pub creator: Url,
}

/// What a Create's object asks for: its name, summary and `availableActorTypes`.
fn factory_object(activity: &Value) -> Result<(String, Option<String>, Vec<String>)> {
    let object = &activity["object"];
    let name = creation::validate_name(object["name"].as_str()).map_err(ActorError::Invalid)?;
    let types = parse_types(object.get("availableActorTypes")).map_err(ActorError::Invalid)?;
    let summary = object["summary"].as_str().map(str::to_string);
    Ok((name, summary, types))
}

impl Handler<CreateFactory> for Person {
    type Result = ResponseActFuture<Self, Result<CreatedFactory>>;

    fn handle(&mut self, msg: CreateFactory, _: &mut Self::Context) -> Self::Result {
        let mut activity = msg.0;
        let (name, summary, types) = match factory_object(&activity) {
            Ok(o) => o,
            Err(e) => return Box::pin(actix::fut::ready(Err(e))),
        };
        let creator = self.core.iri();
        let mut extra = creation::provenance(&creator, None);
        extra.insert("availableActorTypes".into(), json!(types));
        let env = self.core.env.clone();
        let job = tokio::task::spawn_blocking(move || {
            creation::prepare(&env, ActorKind::Factory, &name, summary, extra)
        });
        Box::pin(
            actix::fut::wrap_future::<_, Self>(job).map(move |prepared, act, _| {
                let prepared = prepared.map_err(ActorError::from)??;
                creation::commit(&act.core.env, &prepared)?;
                activity["object"]["id"] = json!(act.core.env.urls.actor(&prepared.r));
                activity["object"]["availableActorTypes"] = json!(types);
                let create = c2s::post_outbox(&mut act.core, activity)?;
                Ok(CreatedFactory {
                    factory: prepared.r,
                    create,
                    creator,
                })
            }),
        )
    }
}

/// To a Factory just created for `create`: grant its creator `admin`, fulfilling the Create.
/// The Grant's id is derived from the Create, so a re-run publishes nothing twice.
#[derive(Message)]
#[rtype(result = "Result<Url>")]
pub struct GrantCreator {
    pub creator: Url,
    pub create: Url,
}

impl Handler<GrantCreator> for Factory {
    type Result = Result<Url>;

    fn handle(&mut self, msg: GrantCreator, _: &mut Self::Context) -> Self::Result {
        let seed = (format!("grant to the creator for {}", msg.create), 0);
        let before = self.core.emit_seed.replace(Some(seed));
        let granted = crate::grants::issue::issue_grant(
            &self.core,
            &msg.creator,
            schema::Role::Admin,
            Some(&msg.create),
            &crate::data::grants::Window::default(),
            &[],
        );
        *self.core.emit_seed.borrow_mut() = before;
        granted
    }
}

/// The whole flow: the person creates and announces the Factory, the Factory grants its
/// creator `admin`. Answers the Create's id.
pub async fn create(registry: &Registry, person: &ActorRef, activity: Value) -> Result<Url> {
    let addr = registry.get::<Person>(&person.id).await?;
    let created = addr.send(CreateFactory(activity)).await??;
    let factory = registry.get::<Factory>(&created.factory.id).await?;
    factory
        .send(GrantCreator {
            creator: created.creator.clone(),
            create: created.create.clone(),
        })
        .await??;
    let iri = registry.urls().actor(&created.factory);
    tracing::info!(factory = %iri, creator = %created.creator, "factory created");
    Ok(created.create)
}

/// Grants `write` on each of the resident Factories (`ids`) to a new person. Failures are
/// logged: the account exists either way.
pub async fn grant_resident(registry: &Registry, person: &ActorRef, ids: &[String]) {
    let target = registry.urls().actor(person);
    for id in ids {
        let msg = GrantRole {
            target: target.clone(),
            role: schema::Role::Write,
        };
        let factory = ActorRef::new(ActorKind::Factory, id.as_str());
        match registry.get::<Factory>(id).await {
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
