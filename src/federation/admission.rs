//! Admission of a signed request before its body is read or its key fetched: a blocked host is
//! refused (403), a client address over the inbox rate too (429). Also the token taken for the
//! verified signer's host once its signature verifies.

use super::state::FederationState;
use crate::error::{Error, Result};
use actix_web::HttpRequest;

/// Refuses a POST from a blocked host (403) or over its client address's rate (429), before its
/// body is read. The blocked host is the signing key's (unverified: refusing more is safe), else
/// the client's address; the rate is the client address's, which a sender cannot choose (a
/// `keyId` naming made-up hosts escapes nothing). The verified host's rate is taken in `verify`.
pub fn admit(state: &FederationState, req: &HttpRequest) -> Result<()> {
    let signature = req
        .headers()
        .get("signature")
        .or_else(|| req.headers().get(actix_web::http::header::AUTHORIZATION))
        .and_then(|v| v.to_str().ok());
    let client = crate::client_addr::client_ip(req, &state.trusted_proxies);
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
    let key = crate::client_addr::client_key(client);
    take_token(state, &format!("address {key}"))
}

/// Takes one token of the inbox rate for `key` (`address <ip>` or `host <authority>`): 429 with
/// the wait when there is none.
pub fn take_token(state: &FederationState, key: &str) -> Result<()> {
    state
        .rate_limit
        .check(key)
        .map_err(|wait| Error::RateLimited {
            host: key.to_string(),
            retry_after: wait.as_secs().max(1),
        })
}
