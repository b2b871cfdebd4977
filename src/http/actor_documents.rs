//! Routes that serve actor documents: `GET /actor` (the instance actor),
//! `GET /{people|factories|repos|trackers|projects}/{id}`, and the standalone key documents
//! `GET /{factories|repos|trackers|projects}/{id}/main-key`. A browser (`web::negotiate`) gets the
//! HTML face of an actor whose kind has a page (`web::actor_pages`).

use super::activity_json::activity_json;
use super::state::AppState;
use crate::error::{Error, Result};
use crate::web::actor_pages::has_page;
use actix_web::{web, HttpRequest, HttpResponse};
use actors::kind::is_valid_local_id;
use actors::urls::routes;
use actors::{ActorKind, ActorRef};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(routes::INSTANCE_ACTOR, web::get().to(instance_actor))
        .route(routes::KEY, web::get().to(key_document))
        .route(routes::ACTOR, web::get().to(actor_document));
}

/// The standalone key document (`CryptographicKey`) of an actor that is not a Person.
async fn key_document(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse> {
    let (segment, id) = path.into_inner();
    let (r, doc) = document_at(&req, &state, &segment, &id, |k| k != ActorKind::Person).await?;
    let key_id = state.urls.key_id(&r);
    let pem = doc
        .key_pem_for(&key_id)
        .ok_or_else(|| Error::NotFound(format!("no key {key_id}")))?;
    let body = serde_json::json!({
        "@context": [schema::context::AS_CONTEXT, schema::context::SECURITY_CONTEXT],
        "id": key_id,
        "type": "CryptographicKey",
        "owner": doc.id,
        "publicKeyPem": pem,
    });
    Ok(activity_json(&req, &body))
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
    if crate::web::negotiate::wants_html(&req) {
        if let Some(kind) = ActorKind::from_path_segment(&segment).filter(|k| has_page(*k)) {
            let page = html_face(&req, &state, kind, &id).await;
            return Ok(crate::web::error_page::respond_in(&state, &req, page));
        }
    }
    let (_, doc) = document_at(&req, &state, &segment, &id, |_| true).await?;
    Ok(activity_json(&req, &doc))
}

/// The HTML page of a stored local actor (`web::actor_pages`), for a browser.
async fn html_face(
    req: &HttpRequest,
    state: &AppState,
    kind: ActorKind,
    id: &str,
) -> Result<HttpResponse> {
    let r = ActorRef::new(kind, id);
    let not_found = || Error::NotFound(format!("no {kind} named {id:?}"));
    if !is_valid_local_id(id) {
        return Err(not_found());
    }
    if !state.registry.store().actor_exists(&r)? {
        // A deleted actor's page is 410, as its document is.
        return Err(super::tombstones::missing(state, req, &r, not_found()));
    }
    super::tombstones::refuse_suspended(state, req, &r)?;
    crate::web::actor_pages::actor_page(state, req, &r).await
}

/// The document of the local actor named by a path `/{segment}/{id}` whose kind `wanted`
/// accepts; 404 with a JSON reason otherwise.
async fn document_at(
    req: &HttpRequest,
    state: &AppState,
    segment: &str,
    id: &str,
    wanted: impl Fn(ActorKind) -> bool,
) -> Result<(ActorRef, schema::Actor)> {
    let kind = ActorKind::from_path_segment(segment)
        .filter(|k| wanted(*k))
        .ok_or_else(|| Error::NotFound(format!("no such resource: {}", req.path())))?;
    if !is_valid_local_id(id) {
        return Err(Error::NotFound(format!("no {kind} named {id:?}")));
    }
    let r = ActorRef::new(kind, id);
    if !state.registry.store().actor_exists(&r)? {
        let not_found = Error::NotFound(format!("no {} named {:?}", kind, r.id));
        return Err(super::tombstones::missing(state, req, &r, not_found));
    }
    super::tombstones::refuse_suspended(state, req, &r)?;
    super::visibility::require_visible(state, req, &r).await?;
    let doc = state.registry.document(&r).await.map_err(|e| match e {
        actors::ActorError::NotFound(_) => {
            let not_found = Error::NotFound(format!("no {} named {:?}", kind, r.id));
            super::tombstones::missing(state, req, &r, not_found)
        }
        other => other.into(),
    })?;
    Ok((r, doc))
}
