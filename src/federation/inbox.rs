//! The signed inbox pipeline: everything an incoming server-to-server POST must pass before it
//! is stored. In order: blocked host and the client address's rate, body size, Digest,
//! Signature (headers covered, algorithm), Date skew, the signed Host (this instance), the key
//! (cached; refetched once when verification fails), the verified host's rate, then the
//! activity itself (valid JSON, an activity whose `actor` owns the key, the shape its type
//! needs, an id on its actor's origin). Each failure is a 4xx and has no side effect.

use super::origin::{authority, check_id_origin};
use super::signature::check_digest;
use crate::error::{Error, Result};
use crate::http::AppState;
use actix_web::web::{self, Bytes, BytesMut};
use actix_web::HttpRequest;
use futures_util::StreamExt;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::time::Duration;
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

/// Reads the body, refusing more than `limit` bytes (413) before reading them all.
pub async fn read_body(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> Result<Bytes> {
    let too_large = || Error::TooLarge(format!("body larger than {limit} bytes"));
    if let Some(len) = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
    {
        if len > limit {
            return Err(too_large());
        }
    }
    let read = async {
        let mut body = BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|e| Error::BadRequest(format!("cannot read body: {e}")))?;
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    };
    // A client dribbling its body is cut off.
    tokio::time::timeout(BODY_TIMEOUT, read)
        .await
        .map_err(|_| {
            Error::BadRequest(format!(
                "body not received within {} s",
                BODY_TIMEOUT.as_secs()
            ))
        })?
}

/// Longest time to receive a request body.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// Refuses a POST from a blocked host (403) or over its client address's rate (429), before its
/// body is read. The blocked host is the signing key's (unverified: refusing more is safe), else
/// the client's address; the rate is the client address's, which a sender cannot choose (a
/// `keyId` naming made-up hosts escapes nothing). The verified host's rate is taken in `verify`.
pub fn admit(state: &AppState, req: &HttpRequest) -> Result<()> {
    let signature = req
        .headers()
        .get("signature")
        .or_else(|| req.headers().get(actix_web::http::header::AUTHORIZATION))
        .and_then(|v| v.to_str().ok());
    let client = crate::http::client_addr::client_ip(req, &state.settings.http.trusted_proxies);
    let peer = client.map(|ip| ip.to_string());
    let (host, port) = signature
        .and_then(super::ratelimit::key_host)
        .or_else(|| Some((peer.clone()?, None)))
        .unwrap_or_default();
    if state.blocks.host_blocked(&host, port) {
        return Err(Error::Forbidden(format!(
            "{host} is blocked on this instance"
        )));
    }
    let key = crate::http::client_addr::client_key(client);
    take_token(state, &format!("address {key}"))
}

/// Takes one token of the inbox rate for `key` (`address <ip>` or `host <authority>`): 429 with
/// the wait when there is none.
fn take_token(state: &AppState, key: &str) -> Result<()> {
    state
        .rate_limit
        .check(key)
        .map_err(|wait| Error::RateLimited {
            host: key.to_string(),
            retry_after: wait.as_secs().max(1),
        })
}

/// Serialises JSON with object keys sorted, so equal content gives equal bytes.
fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                canonical(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// A stable id for an activity without one (Forgejo's Like): a hash of its canonical JSON.
pub fn derived_id(activity: &Value) -> String {
    let mut text = String::new();
    canonical(activity, &mut text);
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("urn:orchard:sha256:{hex}")
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
    state: &AppState,
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<Verified> {
    admit(state, req)?;
    let body = read_body(req, payload, MAX_BODY).await?;
    verify(state, req, &body).await
}

/// Verifies a signed POST and parses its activity.
pub async fn verify(state: &AppState, req: &HttpRequest, body: &[u8]) -> Result<Verified> {
    let digest = req.headers().get("digest").and_then(|v| v.to_str().ok());
    check_digest(digest, body)?;
    let (key_id, key) = super::verify_key::verified_key(state, req, true).await?;
    // The verified signer's host pays for this request, not whichever host a keyId names.
    take_token(state, &format!("host {}", authority(&key.owner)))?;
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
    if actor != key.owner {
        return Err(Error::Signature(format!(
            "the activity's actor {actor} is not the owner of key {key_id} ({})",
            key.owner
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn derived_ids_ignore_key_order_but_not_content() {
        let a = json!({"type": "Like", "actor": "https://a/x", "object": "https://b/r"});
        let b = json!({"object": "https://b/r", "type": "Like", "actor": "https://a/x"});
        let c = json!({"object": "https://b/s", "type": "Like", "actor": "https://a/x"});
        assert_eq!(derived_id(&a), derived_id(&b));
        assert_ne!(derived_id(&a), derived_id(&c));
        assert!(derived_id(&a).starts_with("urn:orchard:sha256:"));
    }
}
