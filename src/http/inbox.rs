//! Server-to-server inbox routes: `POST {actor}/inbox`, the shared inbox `POST /inbox`, and the
//! instance actor's `POST /actor/inbox`. Answers 202 only after the activity is durably stored.

use super::state::AppState;
use crate::error::{Error, Result};
use crate::federation::remote_followers;
use crate::federation::verified_activity::{receive_signed, Verified};
use actix_web::{web, HttpRequest, HttpResponse};
use actors::urls::routes;
use actors::{ActorKind, ActorRef};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(routes::SHARED_INBOX, web::post().to(shared_inbox))
        .route(routes::INSTANCE_INBOX, web::post().to(instance_inbox))
        .route(routes::INBOX, web::post().to(actor_inbox));
}

fn accepted(stored: usize, duplicates: usize) -> HttpResponse {
    HttpResponse::Accepted().json(serde_json::json!({
        "stored": stored,
        "duplicates": duplicates,
    }))
}

async fn store_for(state: &AppState, targets: &[ActorRef], v: &Verified) -> Result<HttpResponse> {
    let (stored, duplicates) = remote_followers::store_for(&state.federation, targets, v).await?;
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
        let not_found = Error::NotFound(format!("no such inbox: {}", req.path()));
        return Err(super::tombstones::missing(&state, &req, &r, not_found));
    }
    // A suspended person's inbox is gone: refused before the signature is checked, nothing stored.
    super::tombstones::refuse_suspended(&state, &req, &r)?;
    let v = receive_signed(&state.federation, &req, payload).await?;
    store_for(&state, &[r], &v).await
}

async fn shared_inbox(
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse> {
    let v = receive_signed(&state.federation, &req, payload).await?;
    let existing = remote_followers::shared_inbox_targets(&state.federation, &v).await?;
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
    let v = receive_signed(&state.federation, &req, payload).await?;
    tracing::info!(activity = %v.id, kind = %v.parsed.kind, "instance actor received an activity; ignored");
    Ok(accepted(0, 0))
}
