//! Stars across instances, "direct federation only" (as Forgejo decided): when a local person
//! stars a local repository through their outbox, the same person's Like is also sent to each
//! of that repository's `federatedRepositories`. Incoming Likes are never re-sent, so stars
//! cannot loop between instances.

use super::state::AppState;
use actors::messages::{GetActivity, PostOutbox};
use actors::repository::{GetFederatedRepositories, Repository};
use actors::{ActorKind, ActorRef};
use serde_json::{json, Value};
use url::Url;

/// The federated repositories of the local repository a Like (or an Undo of an embedded
/// Like) names; empty otherwise.
pub async fn federated_targets(state: &AppState, person: &ActorRef, activity: &Value) -> Vec<Url> {
    // An Undo may name the person's Like by IRI.
    let mut named = Value::Null;
    if activity["type"] == "Undo" {
        if let Some(local) = activity["object"].as_str().and_then(|iri| {
            iri.strip_prefix(&format!("{}/activities/", state.urls.actor(person)))
                .map(str::to_string)
        }) {
            named = state
                .registry
                .send(person, GetActivity(local))
                .await
                .unwrap_or_default();
        }
    }
    let like = match activity["type"].as_str() {
        Some("Like") => activity,
        Some("Undo") if activity["object"]["type"] == "Like" => &activity["object"],
        Some("Undo") if named["type"] == "Like" => &named,
        _ => return Vec::new(),
    };
    let Some(object) = like["object"].as_str().and_then(|o| Url::parse(o).ok()) else {
        return Vec::new();
    };
    let Some(r) = state.urls.parse_actor(&object) else {
        return Vec::new();
    };
    if r.kind != ActorKind::Repository {
        return Vec::new();
    }
    match state.registry.get::<Repository>(&r.id).await {
        Ok(addr) => addr
            .send(GetFederatedRepositories)
            .await
            .unwrap_or_default(),
        Err(_) => Vec::new(),
    }
}

/// Sends the person's own Like (or Undo of it) of each federated repository.
pub async fn federate_like(
    state: &AppState,
    person: &ActorRef,
    activity: &Value,
    targets: Vec<Url>,
) {
    let undo = activity["type"] == "Undo";
    for target in targets {
        let mut like = json!({
            "type": "Like",
            "actor": state.urls.actor(person),
            "object": target,
            "to": [target],
            "startTime": activity.get("startTime").cloned().unwrap_or_else(|| json!(actors::core::now_rfc3339())),
        });
        if undo {
            like = json!({"type": "Undo", "object": like, "to": [target]});
        }
        match state.registry.send(person, PostOutbox(like)).await {
            Ok(id) => tracing::info!(%target, like = %id, "star federated"),
            Err(e) => tracing::warn!(%target, error = %e, "cannot federate star"),
        }
    }
}
