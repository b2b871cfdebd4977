//! Cookie sessions of the web pages. A session is a token of the account's token store
//! (`actors::tokens`: kept as a SHA-256 hash, expiring like every token, listed and revocable
//! on the settings page), issued by the same login as `POST /api/v1/login`; the browser keeps
//! it in the cookie `orchard_session` (HttpOnly, SameSite=Lax, Path=/, Secure when
//! `public_url` is https).

use crate::error::{Error, Result};
use crate::http::state::AppState;
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::HttpRequest;
use actors::audience::Reader;
use actors::tokens::Session;
use actors::{ActorKind, ActorRef};

/// The session cookie's name.
pub const COOKIE: &str = "orchard_session";

/// Whether cookies must be `Secure` (the instance is served over https).
pub fn secure(state: &AppState) -> bool {
    state.settings.public_url.scheme() == "https"
}

/// A cookie with the flags every cookie of the web pages carries.
pub fn cookie(state: &AppState, name: &'static str, value: String, days: i64) -> Cookie<'static> {
    Cookie::build(name, value)
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .secure(secure(state))
        .max_age(CookieDuration::days(days))
        .finish()
}

/// The cookie that opens a session with `token`, as long as the token store keeps tokens.
pub fn open(state: &AppState, token: String) -> Cookie<'static> {
    let days = i64::try_from(state.settings.accounts.token_expiry_days).unwrap_or(365);
    cookie(state, COOKIE, token, days.clamp(1, 3650))
}

/// The cookie that ends the session in the browser.
pub fn close(state: &AppState) -> Cookie<'static> {
    let mut c = cookie(state, COOKIE, String::new(), 0);
    c.make_removal();
    c
}

/// The raw session token of the request's cookie, if it has one.
pub fn token(req: &HttpRequest) -> Option<String> {
    req.cookie(COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| !v.is_empty())
}

/// The live session behind the request's cookie; None without one or when it is unknown,
/// revoked or expired, or its account is suspended (a stale cookie is simply not signed in).
pub fn session(state: &AppState, req: &HttpRequest) -> Result<Option<Session>> {
    let Some(token) = token(req) else {
        return Ok(None);
    };
    let store = state.registry.store();
    match actors::data::suspension::session(&state.accounts, store, &token) {
        Ok(s) => Ok(Some(s)),
        Err(actors::ActorError::Unauthorized | actors::ActorError::Forbidden(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The signed-in username, if any.
pub fn signed_in(state: &AppState, req: &HttpRequest) -> Result<Option<String>> {
    Ok(session(state, req)?.map(|s| s.username))
}

/// The signed-in username; `Error::Unauthorized` otherwise, which a web page answers with a
/// redirect to `/login` (see `error_page`).
pub fn require_signed_in(state: &AppState, req: &HttpRequest) -> Result<String> {
    signed_in(state, req)?.ok_or_else(|| Error::Unauthorized("sign in first".into()))
}

/// Who reads `r` from a browser: its owner, an admin, another local person, or nobody (the
/// web pages' counterpart of `http::reader`, which reads Bearer tokens and signatures).
pub fn reader(state: &AppState, req: &HttpRequest, r: &ActorRef) -> Result<Reader> {
    let Some(user) = signed_in(state, req)? else {
        return Ok(Reader::Anonymous);
    };
    Ok(if r.kind == ActorKind::Person && r.id == user {
        Reader::Owner
    } else if crate::http::auth::has_role(state, &user, actors::accounts::Role::Admin)? {
        Reader::Admin
    } else {
        Reader::Actor(state.urls.actor(&ActorRef::new(ActorKind::Person, user)))
    })
}
