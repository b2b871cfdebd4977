//! A local person's C2S post to their outbox, as the domain runs it: a Create of a Factory
//! creates the Factory (`factory_create`); any other activity is published by the person's
//! actor (`PostOutbox`), and a Like of a local repository is also sent to its federated
//! repositories (`star_flow`). The transport authenticates the person and checks account roles
//! first; it only translates the request into this call and the answer into a response.

use crate::base::error::Result;
use crate::base::kind::ActorRef;
use crate::flows::factory_create;
use crate::flows::star_flow;
use crate::registry::Registry;
use crate::runtime::messages::PostOutbox;
use serde_json::Value;
use url::Url;

/// Runs the person's post; answers the published activity's id.
pub async fn post(registry: &Registry, person: &ActorRef, activity: Value) -> Result<Url> {
    if factory_create::is_factory_create(&activity) {
        return factory_create::create(registry, person, activity).await;
    }
    let federated = star_flow::federated_targets(registry, person, &activity).await;
    let id = registry.send(person, PostOutbox(activity.clone())).await?;
    star_flow::federate_like(registry, person, &activity, federated).await;
    Ok(id)
}
