//! The admin API over local accounts (admins only, see `admin::admin`):
//! `GET /api/v1/admin/accounts[?after=NAME&limit=N]` lists them (username, roles, created,
//! suspended); `POST /api/v1/admin/accounts/{username}/suspend` suspends one and `DELETE` on the
//! same path lifts it (`actors::data::suspension`), both answering 200 with the account's state.

use super::admin::admin;
use super::auth::has_role;
use super::state::AppState;
use crate::error::{Error, Result};
use actix_web::{web, HttpRequest, HttpResponse};
use actors::accounts::Role;
use actors::data::account_record::{self, AccountRecord};
use actors::data::suspension;
use actors::urls::routes;
use serde::Deserialize;
use serde_json::{json, Value};

/// Accounts one page lists when the request does not say.
const DEFAULT_LIMIT: usize = 100;
/// Most accounts one page lists.
const MAX_LIMIT: usize = 1000;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(routes::API_ADMIN_ACCOUNTS, web::get().to(list))
        .route(routes::API_ADMIN_ACCOUNT_SUSPEND, web::post().to(suspend))
        .route(
            routes::API_ADMIN_ACCOUNT_SUSPEND,
            web::delete().to(unsuspend),
        );
}

/// What the API shows of an account: never its password hash. `roles` are the roles it holds,
/// granted or given by the settings' listing (see `auth::has_role`).
pub fn account_json(state: &AppState, a: &AccountRecord) -> Result<Value> {
    let mut roles = Vec::new();
    for role in [Role::Admin, Role::FactoryCreator] {
        if has_role(state, &a.username, role)? {
            roles.push(role.name());
        }
    }
    Ok(json!({
        "username": a.username,
        "id": state.urls.actor(&actors::ActorRef::new(actors::ActorKind::Person, &a.username)),
        "roles": roles,
        "created": a.created,
        "suspended": a.suspended,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    after: Option<String>,
    limit: Option<usize>,
}

async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse> {
    admin(&state, &req)?;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let records = account_record::list(state.registry.store(), query.after.as_deref(), limit + 1)?;
    let more = records.len() > limit;
    let mut items = Vec::new();
    for a in records.iter().take(limit) {
        items.push(account_json(&state, a)?);
    }
    let next = more
        .then(|| records.get(limit - 1).map(|a| a.username.clone()))
        .flatten();
    Ok(HttpResponse::Ok().json(json!({ "items": items, "next": next })))
}

/// Suspends (`on`) or unsuspends `username` for the admin `by` (the API and the web admin
/// page): 404 for an unknown account; an admin cannot suspend themself (400: they would lock
/// themself out; the operator's `orchard admin suspend` can).
pub async fn set_suspended(
    state: &AppState,
    by: &str,
    username: &str,
    on: bool,
) -> Result<AccountRecord> {
    if on && by == username {
        return Err(Error::BadRequest(
            "an admin cannot suspend their own account".into(),
        ));
    }
    let store = state.registry.store();
    let account = if on {
        suspension::suspend(store, username).await
    } else {
        suspension::unsuspend(store, username).await
    };
    let account = account.map_err(|e| match e {
        actors::ActorError::NotFound(_) => Error::NotFound(format!("no account {username:?}")),
        other => other.into(),
    })?;
    tracing::warn!(username, by, on, "admin changed an account's suspension");
    Ok(account)
}

async fn suspend(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse> {
    let by = admin(&state, &req)?;
    let account = set_suspended(&state, &by, &path.into_inner(), true).await?;
    Ok(HttpResponse::Ok().json(account_json(&state, &account)?))
}

async fn unsuspend(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse> {
    let by = admin(&state, &req)?;
    let account = set_suspended(&state, &by, &path.into_inner(), false).await?;
    Ok(HttpResponse::Ok().json(account_json(&state, &account)?))
}
