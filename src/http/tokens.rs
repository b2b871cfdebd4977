//! Routes of a person's own tokens and password: `POST /api/v1/logout`, `GET /api/v1/tokens`,
//! `DELETE /api/v1/tokens/{id}` and `POST /api/v1/password`. Each needs a valid Bearer token
//! (401 without one, or with a revoked or expired one).

use super::accounts::take_attempt;
use super::auth;
use super::state::AppState;
use crate::client_addr;
use crate::error::{Error, Result};
use actix_web::{web, HttpRequest, HttpResponse};
use actors::urls::routes;
use serde::Deserialize;
use serde_json::json;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(routes::API_LOGOUT, web::post().to(logout))
        .route(routes::API_TOKENS, web::get().to(list))
        .route(routes::API_TOKEN, web::delete().to(delete))
        .route(routes::API_PASSWORD, web::post().to(password));
}

/// `POST /api/v1/logout` -> 204; the calling token is revoked.
async fn logout(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse> {
    let s = auth::require_session(&state, &req)?;
    state
        .accounts
        .tokens()
        .revoke_hash(&s.username, &s.token_hash)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET /api/v1/tokens` -> 200 {"tokens": [{"id", "created", "expires", "last_used",
/// "current"}]}.
async fn list(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse> {
    let s = auth::require_session(&state, &req)?;
    let tokens: Vec<_> = state
        .accounts
        .tokens()
        .list(&s.username)?
        .into_iter()
        .map(|(info, hash)| {
            json!({"id": info.id, "created": info.created, "expires": info.expires,
                   "last_used": info.last_used, "current": hash == s.token_hash})
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({ "tokens": tokens })))
}

/// `DELETE /api/v1/tokens/{id}` -> 204; 404 unless it is one of the caller's tokens.
async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse> {
    let s = auth::require_session(&state, &req)?;
    if !state.accounts.tokens().revoke_id(&s.username, &id).await? {
        return Err(Error::NotFound(format!("you have no token {id}")));
    }
    Ok(HttpResponse::NoContent().finish())
}

/// Body of `POST /api/v1/password`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PasswordChange {
    old_password: String,
    new_password: String,
}

/// `POST /api/v1/password` -> 200 {"revoked"}: changes the password and revokes every other
/// token of the caller; 403 when `old_password` is wrong (counted like a failed login).
async fn password(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<PasswordChange>,
) -> Result<HttpResponse> {
    let s = auth::require_session(&state, &req)?;
    let revoked = change_password(&state, &req, &s, &body.old_password, &body.new_password).await?;
    Ok(HttpResponse::Ok().json(json!({ "revoked": revoked })))
}

/// Changes the session's person's password when `old` is right and revokes every other token
/// of theirs (the API's `POST /api/v1/password` and the web settings page); the wrong old
/// password counts like a failed login. Answers how many tokens were revoked.
pub async fn change_password(
    state: &AppState,
    req: &HttpRequest,
    s: &actors::tokens::Session,
    old: &str,
    new: &str,
) -> Result<usize> {
    actors::Accounts::validate(&s.username, new)?;
    let addr = client_addr::request_key(req, &state.settings.http.trusted_proxies);
    let attempt = take_attempt(state, &addr, &s.username)?;
    let slot = match state.account_limits.hash_slot().await {
        Ok(slot) => slot,
        Err(e) => {
            attempt.give_back(state);
            return Err(e);
        }
    };
    let revoked = state
        .accounts
        .change_password(&s.username, old, new, Some(&s.token_hash), slot)
        .await?;
    attempt.succeeded(state);
    Ok(revoked)
}
