//! What the instance actor's document and every actor's `endpoints` name besides the actor
//! itself: `GET /actor/outbox` (an empty OrderedCollection: the instance actor only signs fetches,
//! it publishes nothing) and `GET` on the write-only inboxes `/actor/inbox` and `/inbox` (the
//! shared inbox), which answer `403`: they only take signed POSTs and keep nothing to read.
//! Registered before the generic actor routes, which would shadow `/actor/...`.

use super::activity_json::activity_json;
use super::state::AppState;
use crate::error::{Error, Result};
use actix_web::{web, HttpRequest, HttpResponse};
use actors::urls::routes;
use serde::Deserialize;
use serde_json::json;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(routes::INSTANCE_OUTBOX, web::get().to(outbox))
        .route(routes::INSTANCE_INBOX, web::get().to(write_only))
        .route(routes::SHARED_INBOX, web::get().to(write_only));
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<u64>,
}

async fn outbox(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse> {
    let id = state.urls.instance_outbox();
    let page = format!("{id}?page=1");
    let doc = match query.page {
        None => json!({
            "@context": schema::context::AS_CONTEXT,
            "id": id,
            "type": "OrderedCollection",
            "totalItems": 0,
            "first": page,
            "last": page,
        }),
        Some(1) => json!({
            "@context": schema::context::AS_CONTEXT,
            "id": page,
            "type": "OrderedCollectionPage",
            "partOf": id,
            "totalItems": 0,
            "orderedItems": [],
        }),
        Some(n) => return Err(Error::NotFound(format!("page {n} of the instance outbox"))),
    };
    Ok(activity_json(&req, &doc))
}

async fn write_only(req: HttpRequest) -> Result<HttpResponse> {
    Err(Error::Forbidden(format!(
        "{} only accepts signed POSTs of activities; it keeps nothing to read",
        req.path()
    )))
}
