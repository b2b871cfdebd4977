//! Bearer-token authentication of local people.

use super::AppState;
use crate::error::{Error, Result};
use actix_web::HttpRequest;

/// The username behind the request's `Authorization: Bearer` token; None without the header.
/// A header with an unknown token is an error (401), not anonymous.
pub fn user(state: &AppState, req: &HttpRequest) -> Result<Option<String>> {
    let Some(value) = req.headers().get(actix_web::http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| Error::Unauthorized("malformed Authorization header".into()))?;
    let token = value
        .strip_prefix("Bearer ")
        .ok_or_else(|| Error::Unauthorized("Authorization must be a Bearer token".into()))?;
    match state.accounts.authenticate(token.trim()) {
        Ok(name) => Ok(Some(name)),
        Err(actors::ActorError::Unauthorized) => {
            Err(Error::Unauthorized("invalid or expired token".into()))
        }
        Err(e) => Err(e.into()),
    }
}

/// The username behind the token; 401 without one.
pub fn require_user(state: &AppState, req: &HttpRequest) -> Result<String> {
    user(state, req)?.ok_or_else(|| Error::Unauthorized("a Bearer token is required".into()))
}
