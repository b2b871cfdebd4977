//! Server-to-server inbox routes: `POST {actor}/inbox`, the shared inbox `POST /inbox`, and the
//! instance actor's `POST /actor/inbox`. Answers 202 only after the activity is durably stored.

use super::AppState;
use crate::error::{Error, Result};
use crate::federation::inbox::{receive_signed, Verified};
use actix_web::{web, HttpRequest, HttpResponse};
use actors::activities::accept::local_followers_of;
use actors::messages::{Receive, Received};
use actors::{ActorKind, ActorRef};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/inbox", web::post().to(shared_inbox))
        .route("/actor/inbox", web::post().to(instance_inbox))
        .route("/{segment}/{id}/inbox", web::post().to(actor_inbox));
}

fn accepted(stored: usize, duplicates: usize) -> HttpResponse {
    HttpResponse::Accepted().json(serde_json::json!({
        "stored": stored,
        "duplicates": duplicates,
    }))
}

/// Hands a verified activity to each target actor at once; each answers when its copy is
/// durable (the actors' writes share group commits).
async fn store_for(state: &AppState, targets: &[ActorRef], v: &Verified) -> Result<HttpResponse> {
    let sends = targets.iter().map(|r| {
        let msg = Receive {
            activity: v.activity.clone(),
            id: v.id.clone(),
        };
        state.registry.send(r, msg)
    });
    let mut stored = 0;
    let mut duplicates = 0;
    for received in futures_util::future::join_all(sends).await {
        match received? {
            Received::Stored(_) => stored += 1,
            Received::Duplicate => duplicates += 1,
        }
    }
    tracing::debug!(activity = %v.id, actor = %v.actor, kind = %v.parsed.kind, stored, duplicates, "inbox POST accepted");
    Ok(accepted(stored, duplicates))
}

async fn actor_inbox(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    payload: web::Payload,
) -> Result<HttpResponse> {
    let (segment, id) = path.into_inner();
    let r = ActorKind::from_path_segment(&segment)
        .filter(|_| actors::kind::is_valid_local_id(&id))
        .map(|k| ActorRef::new(k, id))
        .ok_or_else(|| Error::NotFound(format!("no such inbox: {}", req.path())))?;
    if !state.registry.store().actor_exists(&r)? {
        return Err(Error::NotFound(format!("no such inbox: {}", req.path())));
    }
    let v = receive_signed(&state, &req, payload).await?;
    store_for(&state, &[r], &v).await
}

async fn shared_inbox(
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse> {
    let v = receive_signed(&state, &req, payload).await?;
    let mut targets: Vec<ActorRef> = Vec::new();
    let add = |r: ActorRef, targets: &mut Vec<ActorRef>| {
        if !targets.contains(&r) {
            targets.push(r);
        }
    };
    let mut addresses_others = false;
    for iri in v.parsed.recipients() {
        match state.urls.parse_actor(iri) {
            Some(r) => add(r, &mut targets),
            // A followers collection (or Public): the sender's local followers get it.
            None => addresses_others = true,
        }
    }
    if let Some(r) = v.parsed.object_id().and_then(|o| state.urls.parse_actor(o)) {
        if v.parsed.kind == "Follow" {
            add(r, &mut targets);
        }
    }
    if addresses_others {
        for tree in local_followers_of(state.registry.store(), &v.actor)? {
            if let Some(r) = ActorRef::from_tree_name(&tree) {
                add(r, &mut targets);
            }
        }
    }
    let mut existing = Vec::new();
    for r in targets {
        if state.registry.store().actor_exists(&r)? {
            existing.push(r);
        }
    }
    if existing.is_empty() {
        tracing::info!(activity = %v.id, "shared inbox: no local recipient; ignored");
    }
    store_for(&state, &existing, &v).await
}

async fn instance_inbox(
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse> {
    let v = receive_signed(&state, &req, payload).await?;
    tracing::info!(activity = %v.id, kind = %v.parsed.kind, "instance actor received an activity; ignored");
    Ok(accepted(0, 0))
}
