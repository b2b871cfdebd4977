//! Bearer-token authentication of local people, and who holds a privilege (an operator-granted
//! role on the account, or the name listed in the settings key of that privilege).

use super::state::AppState;
use crate::error::{Error, Result};
use actix_web::HttpRequest;
use actors::accounts::Role;
use actors::data::suspension;
use actors::tokens::Session;

/// The session behind the request's `Authorization: Bearer` token; None without the header.
/// A header with an unknown, revoked or expired token is an error (401), not anonymous; the
/// token of a suspended account is 403 ("account suspended").
pub fn session(state: &AppState, req: &HttpRequest) -> Result<Option<Session>> {
    let Some(value) = req.headers().get(actix_web::http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| Error::Unauthorized("malformed Authorization header".into()))?;
    let token = value
        .strip_prefix("Bearer ")
        .ok_or_else(|| Error::Unauthorized("Authorization must be a Bearer token".into()))?;
    match suspension::session(&state.accounts, state.registry.store(), token.trim()) {
        Ok(s) => Ok(Some(s)),
        Err(actors::ActorError::Unauthorized) => Err(Error::Unauthorized(
            "invalid, revoked or expired token".into(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// The session behind the token; 401 without one.
pub fn require_session(state: &AppState, req: &HttpRequest) -> Result<Session> {
    session(state, req)?.ok_or_else(|| Error::Unauthorized("a Bearer token is required".into()))
}

/// The username behind the request's token; None without the header.
pub fn user(state: &AppState, req: &HttpRequest) -> Result<Option<String>> {
    Ok(session(state, req)?.map(|s| s.username))
}

/// The username behind the token; 401 without one.
pub fn require_user(state: &AppState, req: &HttpRequest) -> Result<String> {
    Ok(require_session(state, req)?.username)
}

/// Whether `username` (an existing account) holds `role`: granted with `orchard admin grant`,
/// or listed in `[accounts] admins` / `factory_creators` and created by the operator (`orchard
/// admin create-account`; an account someone registered over the API before its name was
/// listed gets nothing from the listing).
pub fn has_role(state: &AppState, username: &str, role: Role) -> Result<bool> {
    let listed = match role {
        Role::Admin => &state.settings.accounts.admins,
        Role::FactoryCreator => &state.settings.accounts.factory_creators,
    };
    if listed.iter().any(|n| n == username) && state.accounts.by_operator(username)? {
        return Ok(true);
    }
    Ok(state.accounts.has_role(username, role)?)
}
