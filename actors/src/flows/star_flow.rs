//! Stars across instances, "direct federation only" (as Forgejo decided): when a local person
//! stars a local repository through their outbox, the same person's Like is also sent to each
//! of that repository's `federatedRepositories`. Incoming Likes are never re-sent, so stars
//! cannot loop between instances. The person's actor publishes each Like (`PostOutbox`); the
//! repository's actor names its federated repositories (`GetFederatedRepositories`).

use crate::base::kind::{ActorKind, ActorRef};
use crate::kinds::repository::{GetFederatedRepositories, Repository};
use crate::registry::Registry;
use crate::runtime::messages::{GetActivity, PostOutbox};
use serde_json::{json, Value};
use url::Url;

/// The Like an activity is or undoes: itself, its embedded object, or (an Undo naming the
/// person's Like by IRI) the person's published Like.
async fn like_of(registry: &Registry, person: &ActorRef, activity: &Value) -> Option<Value> {
    match activity["type"].as_str() {
        Some("Like") => return Some(activity.clone()),
        Some("Undo") if activity["object"]["type"] == "Like" => {
            return Some(activity["object"].clone())
        }
        Some("Undo") => {}
        _ => return None,
    }
    let local = registry
        .urls()
        .activity_local_id(person, activity["object"].as_str()?)?;
    let named: Value = registry
        .send(person, GetActivity(local.to_string()))
        .await
        .unwrap_or_default();
    (named["type"] == "Like").then_some(named)
}

/// The federated repositories of the local repository a Like (or an Undo of one) names; empty
/// otherwise. Asked before the activity is published.
pub async fn federated_targets(
    registry: &Registry,
    person: &ActorRef,
    activity: &Value,
) -> Vec<Url> {
    let Some(like) = like_of(registry, person, activity).await else {
        return Vec::new();
    };
    let Some(object) = like["object"].as_str().and_then(|o| Url::parse(o).ok()) else {
        return Vec::new();
    };
    let Some(r) = registry.urls().parse_actor(&object) else {
        return Vec::new();
    };
    if r.kind != ActorKind::Repository {
        return Vec::new();
    }
    match registry.get::<Repository>(&r.id).await {
        Ok(addr) => addr
            .send(GetFederatedRepositories)
            .await
            .unwrap_or_default(),
        Err(_) => Vec::new(),
    }
}

/// Publishes the person's own Like (or Undo of it) of each federated repository.
pub async fn federate_like(
    registry: &Registry,
    person: &ActorRef,
    activity: &Value,
    targets: Vec<Url>,
) {
    let undo = activity["type"] == "Undo";
    for target in targets {
        let start = activity
            .get("startTime")
            .cloned()
            .unwrap_or_else(|| json!(crate::base::clock::now_rfc3339()));
        let mut like = json!({
            "type": "Like",
            "actor": registry.urls().actor(person),
            "object": target,
            "to": [target],
            "startTime": start,
        });
        if undo {
            like = json!({"type": "Undo", "object": like, "to": [target]});
        }
        match registry.send(person, PostOutbox(like)).await {
            Ok(id) => tracing::info!(%target, like = %id, "star federated"),
            Err(e) => tracing::warn!(%target, error = %e, "cannot federate star"),
        }
    }
}
