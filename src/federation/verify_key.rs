//! The signature part of every signed request Orchard serves (inbox POSTs and signed GETs), in
//! one place: the `Signature` (or `Authorization: Signature`) header over the method and path
//! actually served, the Date within the skew, the signed `Host` this instance's, then the key
//! (cached; a remote key refetched once when it does not verify). What comes before (blocks,
//! rates, the body and its Digest) and after (the activity) is the caller's.

use super::keys::ResolvedKey;
use super::origin::check_signed_host;
use super::signature::prepare_verify;
use super::state::FederationState;
use crate::error::{Error, Result};
use actix_web::HttpRequest;
use url::Url;

/// The request's headers, names lower-cased, values that are not text left out.
fn headers(req: &HttpRequest) -> Vec<(String, String)> {
    req.headers()
        .iter()
        .filter_map(|(k, v)| {
            Some((
                k.as_str().to_ascii_lowercase(),
                v.to_str().ok()?.to_string(),
            ))
        })
        .collect()
}

/// Verifies the request's signature and returns the key that made it (its id, and the key). `digest` is whether the
/// signature must cover a `Digest` header (requests with a body; the caller checked the Digest
/// against the body).
pub async fn verified_key(
    state: &FederationState,
    req: &HttpRequest,
    digest: bool,
) -> Result<(Url, ResolvedKey)> {
    let headers = headers(req);
    // `(request-target)` is the method and path this request was served at.
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let max_skew = state.max_skew;
    let pending = prepare_verify(req.method().as_str(), path, &headers, digest, max_skew)?;
    check_signed_host(&state.urls, &headers)?;
    let key_id = pending.key_id().clone();
    let mut key = state.keys.resolve(&key_id, false).await?;
    if !pending.verify_with(&key.key) {
        if !state.urls.is_local(&key_id) {
            key = state.keys.resolve(&key_id, true).await?;
        }
        if !pending.verify_with(&key.key) {
            return Err(Error::Signature(format!(
                "signature does not verify with key {key_id}"
            )));
        }
    }
    Ok((key_id, key))
}
