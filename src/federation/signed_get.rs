//! Signed GETs of this instance's documents: who a request is signed by, verified as an inbox
//! POST is (`Signature` or `Authorization: Signature`, covering `(request-target) host date`,
//! Date within the skew, the key resolved and refetched once), and signed for this instance (the
//! signed `Host` is this instance's `public_url` authority, so a GET signed for another host is
//! not replayed here). No Digest: a GET has no body. Blocked hosts and the inbox rate limit
//! (`admission::admit`) apply before any key is fetched.

use super::state::FederationState;
use crate::error::{Error, Result};
use actix_web::HttpRequest;
use url::Url;

/// Whether the request carries an HTTP signature (rather than, say, a Bearer token).
pub fn is_signed(req: &HttpRequest) -> bool {
    req.headers().contains_key("signature")
        || req
            .headers()
            .get(actix_web::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.get(..10))
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("signature "))
}

/// The actor that signed the request (the signing key's owner); None when it is not signed.
/// A signature that does not verify is a 401, whatever is asked for.
pub async fn signer(state: &FederationState, req: &HttpRequest) -> Result<Option<Url>> {
    if !is_signed(req) {
        return Ok(None);
    }
    // Verifying may fetch a key: blocked hosts and the per-host rate apply as to inbox POSTs.
    super::admission::admit(state, req)?;
    let (_, key) = super::verify_key::verified_key(state, req, false).await?;
    if state.blocks.blocked(&key.owner) {
        return Err(Error::Forbidden(format!(
            "{} is blocked on this instance",
            key.owner
        )));
    }
    Ok(Some(key.owner))
}
