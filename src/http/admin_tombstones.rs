//! The admin API over deleted actors (admins only, see `admin::admin`):
//! `GET /api/v1/admin/tombstones` lists them; `DELETE /api/v1/admin/tombstones/{segment}/{id}`
//! releases one's id (`actors::kinds::deletion::release`: what is left of it is removed, its
//! tombstone forgotten), after which a Factory may give that id to a new actor.

use super::admin::admin;
use super::state::AppState;
use crate::error::{Error, Result};
use actix_web::{web, HttpRequest, HttpResponse};
use actors::data::tombstones;
use actors::kind::is_valid_local_id;
use actors::urls::routes;
use actors::{ActorKind, ActorRef};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(routes::API_ADMIN_TOMBSTONES, web::get().to(list))
        .route(routes::API_ADMIN_TOMBSTONE, web::delete().to(release));
}

async fn list(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse> {
    admin(&state, &req)?;
    let items: Vec<serde_json::Value> = tombstones::list(state.registry.store())?
        .into_iter()
        .filter_map(|(name, t)| {
            let r = ActorRef::from_tree_name(&name)?;
            Some(serde_json::json!({
                "id": state.urls.actor(&r), "formerType": t.former_type,
                "deleted": t.deleted, "deletedBy": t.by,
            }))
        })
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({"totalItems": items.len(), "items": items})))
}

async fn release(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse> {
    let by = admin(&state, &req)?;
    let (segment, id) = path.into_inner();
    let r = ActorKind::from_path_segment(&segment)
        .filter(|_| is_valid_local_id(&id))
        .map(|k| ActorRef::new(k, id))
        .ok_or_else(|| Error::NotFound(format!("no such resource: {}", req.path())))?;
    let env = state.registry.env().clone();
    let target = r.clone();
    let released =
        tokio::task::spawn_blocking(move || actors::kinds::deletion::release(&env, &target))
            .await
            .map_err(|e| actors::ActorError::Task(format!("release: {e}")))??;
    if !released {
        return Err(Error::NotFound(format!("{r} is not a deleted actor")));
    }
    tracing::warn!(actor = %r, %by, "tombstone released");
    Ok(HttpResponse::NoContent().finish())
}
