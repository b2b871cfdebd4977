//! The signed inbox pipeline: everything an incoming server-to-server POST must pass before it
//! is stored. In order: blocked host and the client address's rate (`admission`), body size,
//! Digest, Signature (headers covered, algorithm), Date skew, the signed Host (this instance),
//! the key (cached; refetched once when verification fails; `verify_key`), the verified host's
//! rate, then the activity itself (valid JSON, an activity whose `actor` owns the key, the shape
//! its type needs, an id on its actor's origin). Each failure is a 4xx and has no side effect
//! but an entry in the error box (`refusals`).

use super::admission::{admit, take_token};
use super::derived_id::derived_id;
use super::origin::{authority, check_id_origin};
use super::refusals;
use super::signature::check_digest;
use super::state::FederationState;
use super::verify_key::verified_key;
use crate::error::{Error, Result};
use crate::request_body::read_body;
use actix_web::web;
use actix_web::HttpRequest;
use serde_json::Value;
use url::Url;

/// Largest inbox body accepted.
pub const MAX_BODY: usize = 1024 * 1024;

/// A verified incoming activity.
pub struct Verified {
    pub activity: Value,
    pub parsed: schema::Activity,
    /// The activity's id, or a stable id derived from its content when it has none.
    pub id: String,
    /// The signer, who is also the activity's actor.
    pub actor: Url,
}

/// How far in the future an id-less activity's `startTime` may be.
pub const START_TIME_FUTURE_SECS: i64 = 600;

/// An activity without `id` (Forgejo's Like and Undo{Like}) must carry a `startTime` no more
/// than 10 minutes in the future: it is what makes its derived id unique.
fn check_start_time(activity: &schema::Activity) -> Result<()> {
    let Some(start) = activity.start_time.as_deref() else {
        return Err(Error::BadRequest(format!(
            "a {} without id needs a startTime",
            activity.kind
        )));
    };
    let Some(start) = actors::base::clock::parse_time(start) else {
        return Err(Error::BadRequest(format!(
            "startTime {start:?} is not a valid time"
        )));
    };
    let ahead = (start - time::OffsetDateTime::now_utc()).whole_seconds();
    if ahead > START_TIME_FUTURE_SECS {
        return Err(Error::BadRequest(format!(
            "startTime is {ahead} s in the future; at most {START_TIME_FUTURE_SECS} s is accepted"
        )));
    }
    Ok(())
}

/// The whole pipeline for an incoming server-to-server POST, in order: `admit` (blocked host,
/// rate) before the body is read, the body within `MAX_BODY`, then `verify`.
pub async fn receive_signed(
    state: &FederationState,
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<Verified> {
    admit(state, req)?;
    let body = read_body(req, payload, MAX_BODY).await?;
    // What is refused from here on is recorded in the error box (`refusals`).
    let (key_id, owner) = match signed_by(state, req, &body).await {
        Ok(signed) => signed,
        Err(e) => {
            refusals::before_signature(state, req, &body, &e);
            return Err(e);
        }
    };
    activity_of(state, &key_id, &owner, &body)
        .inspect_err(|e| refusals::after_signature(state, req, &body, &owner, e))
}

/// Verifies a signed POST and parses its activity.
pub async fn verify(state: &FederationState, req: &HttpRequest, body: &[u8]) -> Result<Verified> {
    let (key_id, owner) = signed_by(state, req, body).await?;
    activity_of(state, &key_id, &owner, body)
}

/// The Digest, the signature and the verified signer's rate: answers the key id and its owner.
async fn signed_by(state: &FederationState, req: &HttpRequest, body: &[u8]) -> Result<(Url, Url)> {
    let digest = req.headers().get("digest").and_then(|v| v.to_str().ok());
    check_digest(digest, body)?;
    let (key_id, key) = verified_key(state, req, true).await?;
    // The verified signer's host pays for this request, not whichever host a keyId names.
    take_token(state, &format!("host {}", authority(&key.owner)))?;
    Ok((key_id, key.owner))
}

/// The activity of a POST signed with `key_id`, owned by `owner`.
fn activity_of(
    state: &FederationState,
    key_id: &Url,
    owner: &Url,
    body: &[u8],
) -> Result<Verified> {
    let activity: Value = serde_json::from_slice(body)
        .map_err(|e| Error::BadRequest(format!("malformed JSON: {e}")))?;
    if !activity.is_object() {
        return Err(Error::BadRequest(
            "an activity must be a JSON object".into(),
        ));
    }
    let parsed = <schema::Activity as serde::Deserialize>::deserialize(&activity)
        .map_err(|e| Error::BadRequest(format!("not an activity: {e}")))?;
    let actor = parsed
        .actor_id()
        .cloned()
        .ok_or_else(|| Error::BadRequest("the activity has no actor".into()))?;
    if state.blocks.blocked(&actor) {
        return Err(Error::Forbidden(format!(
            "{actor} is blocked on this instance"
        )));
    }
    if actor != *owner {
        return Err(Error::Signature(format!(
            "the activity's actor {actor} is not the owner of key {key_id} ({owner})"
        )));
    }
    schema::shape::check(&parsed).map_err(Error::BadRequest)?;
    let id = match &parsed.id {
        Some(id) => {
            check_id_origin(&state.urls, id, &actor)?;
            id.to_string()
        }
        None => {
            check_start_time(&parsed)?;
            derived_id(&activity)
        }
    };
    Ok(Verified {
        activity,
        parsed,
        id,
        actor,
    })
}
