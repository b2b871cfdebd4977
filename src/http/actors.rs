//! Routes that serve actor documents: `GET /actor` (the instance actor) and
//! `GET /{people|factories|repos|trackers|projects}/{id}`.

use super::{activity_json, AppState};
use crate::error::{Error, Result};
use actix_web::{web, HttpRequest, HttpResponse};
use actors::kind::is_valid_local_id;
use actors::{ActorKind, ActorRef};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/actor", web::get().to(instance_actor))
        .route("/{segment}/{id}", web::get().to(actor_document));
}

async fn instance_actor(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    activity_json(
        &req,
        &crate::instance::document(&state.urls, &state.instance_key),
    )
}

async fn actor_document(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse> {
    let (segment, id) = path.into_inner();
    let kind = ActorKind::from_path_segment(&segment)
        .ok_or_else(|| Error::NotFound(format!("no such resource: {}", req.path())))?;
    if !is_valid_local_id(&id) {
        return Err(Error::NotFound(format!("no {kind} named {id:?}")));
    }
    let r = ActorRef::new(kind, id);
    let doc = state.registry.document(&r).await.map_err(|e| match e {
        actors::ActorError::NotFound(_) => Error::NotFound(format!("no {} named {:?}", kind, r.id)),
        other => other.into(),
    })?;
    Ok(activity_json(&req, &doc))
}
