//! CSRF tokens of the web forms. A form's token is derived from a secret only the browser
//! holds: the session token (signed in) or, for the sign-in and sign-up forms, the random
//! pre-session cookie `orchard_csrf`; it is `hex(SHA-256(label, secret))`, so it reveals
//! neither. A POST whose `csrf` field is missing or matches neither is refused with 403 before
//! anything is read or changed. The cookies are HttpOnly and SameSite=Lax besides.

use super::session;
use crate::error::{Error, Result};
use crate::http::state::AppState;
use actix_web::cookie::Cookie;
use actix_web::HttpRequest;
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// The pre-session cookie's name.
pub const COOKIE: &str = "orchard_csrf";

fn derive(label: &str, secret: &str) -> String {
    let mut h = Sha256::new();
    h.update(label.as_bytes());
    h.update([0u8]);
    h.update(secret.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The token of forms shown in a session opened with `session_token`.
pub fn for_session(session_token: &str) -> String {
    derive("orchard csrf session", session_token)
}

/// The token of forms shown to a visitor holding the pre-session cookie `value`.
pub fn for_pre_session(value: &str) -> String {
    derive("orchard csrf pre-session", value)
}

fn pre_session_value(req: &HttpRequest) -> Option<String> {
    req.cookie(COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| !v.is_empty())
}

/// The token for the forms of this request's page: the session's, else the pre-session
/// cookie's, else empty (a page that shows forms to visitors calls [`pre_session`]).
pub fn token(state: &AppState, req: &HttpRequest) -> Result<String> {
    if let Some(t) = session::token(req) {
        if session::session(state, req)?.is_some() {
            return Ok(for_session(&t));
        }
    }
    Ok(pre_session_value(req)
        .map(|v| for_pre_session(&v))
        .unwrap_or_default())
}

/// The token for a visitor's sign-in or sign-up form, and the pre-session cookie to set when
/// the visitor has none yet.
pub fn pre_session(state: &AppState, req: &HttpRequest) -> (String, Option<Cookie<'static>>) {
    if let Some(v) = pre_session_value(req) {
        return (for_pre_session(&v), None);
    }
    let mut raw = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut raw);
    let value = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw);
    let token = for_pre_session(&value);
    (token, Some(session::cookie(state, COOKIE, value, 1)))
}

/// Equal in constant time (for equal lengths).
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Ok when `token` (a form's `csrf` field) is the one of the request's session or pre-session
/// cookie; 403 otherwise.
pub fn check(_state: &AppState, req: &HttpRequest, token: &str) -> Result<()> {
    let refused = || Error::Forbidden("missing or wrong CSRF token: reload the page".into());
    if token.is_empty() {
        return Err(refused());
    }
    let by_session = session::token(req).map(|t| for_session(&t));
    let by_cookie = pre_session_value(req).map(|v| for_pre_session(&v));
    let ok = [by_session, by_cookie]
        .iter()
        .flatten()
        .any(|expected| same(expected, token));
    ok.then_some(()).ok_or_else(refused)
}
