//! The admin API, for admins (see `auth::has_role`): blocking remote hosts and actors
//! (`GET/POST/DELETE /api/v1/admin/blocks`; the rules are `federation::block_admin`'s, shared
//! with `orchard admin blocks`).

use super::auth;
use super::state::AppState;
use crate::error::{Error, Result};
use crate::federation::block_admin::{self, BlockTarget};
use crate::federation::blocks::BlockRecord;
use actix_web::{web, HttpRequest, HttpResponse};
use actors::urls::routes;
use serde::Deserialize;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(routes::API_ADMIN_BLOCKS, web::get().to(list))
        .route(routes::API_ADMIN_BLOCKS, web::post().to(add))
        .route(routes::API_ADMIN_BLOCKS, web::delete().to(remove));
}

/// The admin's username; 401 without a token, 403 for someone who is not an admin (neither
/// granted the role with `orchard admin grant` nor listed in `[accounts] admins`).
pub fn admin(state: &AppState, req: &HttpRequest) -> Result<String> {
    let user = auth::require_user(state, req)?;
    if !auth::has_role(state, &user, actors::accounts::Role::Admin)? {
        return Err(Error::Forbidden(format!(
            "{user} is not an admin of this instance (see `orchard admin grant` and [accounts] admins)"
        )));
    }
    Ok(user)
}

/// A host or an actor IRI, exactly one of them.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub host: Option<String>,
    pub actor: Option<String>,
}

impl Target {
    /// The host (normalised) or the actor IRI; 400 unless exactly one is a valid one.
    pub fn validate(self) -> Result<BlockTarget> {
        BlockTarget::parse(self.host, self.actor)
    }
}

async fn list(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse> {
    admin(&state, &req)?;
    Ok(HttpResponse::Ok().json(state.federation.blocks.list()?))
}

async fn add(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<Target>,
) -> Result<HttpResponse> {
    let by = admin(&state, &req)?;
    let record = add_block(&state, &by, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(record))
}

/// Blocks a host or an actor (the API and the web admin page), by the admin `by`.
pub async fn add_block(state: &AppState, by: &str, target: Target) -> Result<BlockRecord> {
    let target = target.validate()?;
    let store = state.registry.store();
    block_admin::add((&state.federation.blocks, store, &state.urls), by, &target).await
}

async fn remove(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<Target>,
) -> Result<HttpResponse> {
    admin(&state, &req)?;
    remove_block(&state, query.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Lifts a block (the API and the web admin page); 404 when there is none.
pub async fn remove_block(state: &AppState, target: Target) -> Result<()> {
    let target = target.validate()?;
    block_admin::remove(&state.federation.blocks, state.registry.store(), &target).await
}
