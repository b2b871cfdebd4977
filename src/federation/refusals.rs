//! What the signed inbox pipeline (`verified_activity`) records in the error box when it
//! refuses a POST. Before the signature verified, and when the verified signer is not the
//! activity's `actor`: `unverified`, in memory only (`unverified`), for the inbox's actor (the
//! instance actor for the shared and instance inboxes). Once the signature verified, an activity
//! that does not parse or lacks what its type needs: `malformed`, stored
//! (`actors::data::error_box`) for the inbox's actor and the instance. Blocks and rate limits
//! are refused on purpose and not recorded.

use super::state::FederationState;
use crate::error::Error;
use actix_web::HttpRequest;
use actors::data::error_box::{self, host_of, Entry, Stage, MAX_TEXT};
use actors::ActorRef;
use serde_json::Value;
use url::Url;

/// Largest body read again for the ids an entry names (larger ones are named by nothing).
const MAX_PARSED: usize = 64 * 1024;

/// The local actor whose inbox the request was POSTed to (None: the shared or instance inbox).
fn inbox_actor(state: &FederationState, req: &HttpRequest) -> Option<ActorRef> {
    let actor_path = req.path().strip_suffix("/inbox")?;
    let iri = state.urls.base().join(actor_path).ok()?;
    state.urls.parse_actor(&iri)
}

/// The body as JSON, when it is small enough and parses (else null).
fn json_of(body: &[u8]) -> Value {
    match body.len() <= MAX_PARSED {
        true => serde_json::from_slice(body).unwrap_or(Value::Null),
        false => Value::Null,
    }
}

/// The `keyId` the request's signature names (unverified).
fn key_id(req: &HttpRequest) -> Option<String> {
    let headers = req.headers();
    let signature = headers
        .get("signature")
        .or_else(|| headers.get(actix_web::http::header::AUTHORIZATION))?
        .to_str()
        .ok()?;
    let start = signature.find("keyId=\"")? + "keyId=\"".len();
    let rest = &signature[start..];
    Some(rest[..rest.find('"')?].to_string())
}

/// Records an `unverified` entry, in memory, for the inbox's actor.
fn unverified(state: &FederationState, req: &HttpRequest, body: &[u8], e: &Error) {
    let recipient = match inbox_actor(state, req) {
        Some(r) => state.urls.actor(&r),
        None => state.urls.instance_actor(),
    };
    let mut entry = Entry::about(Stage::Unverified, &json_of(body), e).to(&recipient);
    if let Some(host) = key_id(req).as_deref().and_then(host_of) {
        entry.host = Some(error_box::clip(&host, MAX_TEXT));
    }
    state.unverified.record(recipient.as_str(), entry);
}

/// A POST refused before its signature verified.
pub fn before_signature(state: &FederationState, req: &HttpRequest, body: &[u8], e: &Error) {
    if !matches!(e, Error::RateLimited { .. } | Error::Forbidden(_)) {
        unverified(state, req, body, e);
    }
}

/// A POST whose signature by `signer` verified, refused for its activity.
pub fn after_signature(
    state: &FederationState,
    req: &HttpRequest,
    body: &[u8],
    signer: &Url,
    e: &Error,
) {
    match e {
        Error::Signature(_) => unverified(state, req, body, e),
        Error::BadRequest(_) => {
            let mut entry = Entry::about(Stage::Malformed, &json_of(body), e);
            entry.actor = Some(error_box::clip(signer.as_str(), MAX_TEXT));
            entry.host = host_of(signer.as_str());
            let r = inbox_actor(state, req);
            if let Some(r) = &r {
                entry = entry.to(state.urls.actor(r));
            }
            error_box::record(state.registry.store(), r.as_ref(), &entry);
        }
        _ => {}
    }
}
