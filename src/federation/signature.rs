// SPDX-License-Identifier: AGPL-3.0-or-later
//! draft-cavage HTTP signatures, both directions: `Digest: SHA-256=` headers, signing outgoing
//! requests (`rsa-sha256` over `(request-target) host date [digest]`), and parsing, Date-checking
//! and verifying the signature of incoming requests (`Signature:` or `Authorization: Signature`,
//! algorithm absent, `rsa-sha256` or `hs2019`, RSASSA-PKCS1-v1_5 over SHA-256). Signing and
//! Digests are here; verification is `signature_verify` (re-exported), its header parsing
//! `signature_params`.

use std::time::SystemTime;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use url::Url;

use crate::error::Error;

pub use super::signature_verify::{prepare_verify, PendingSignature, VerifyingKey};

/// `SHA-256=<base64 of sha256(body)>`, the value of a `Digest` header.
pub fn digest_header(body: &[u8]) -> String {
    let mut out = String::with_capacity(52);
    out.push_str("SHA-256=");
    B64.encode_string(Sha256::digest(body), &mut out);
    out
}

/// Checks a `Digest` header value (possibly several comma-separated `algorithm=value` entries,
/// names case-insensitive) against the body: every SHA-256 entry must match, and one must exist.
pub fn check_digest(digest: Option<&str>, body: &[u8]) -> Result<(), Error> {
    let digest = digest.ok_or_else(|| Error::BadRequest("missing Digest header".into()))?;
    let mut expected: Option<[u8; 32]> = None;
    for entry in digest.split(',') {
        let Some((algorithm, value)) = entry.split_once('=') else {
            continue;
        };
        if !algorithm.trim().eq_ignore_ascii_case("sha-256") {
            continue;
        }
        let hash = expected.get_or_insert_with(|| Sha256::digest(body).into());
        match B64.decode(value.trim()) {
            Ok(given) if given == hash[..] => {}
            _ => return Err(Error::BadRequest("Digest does not match the body".into())),
        }
    }
    match expected {
        Some(_) => Ok(()),
        None => Err(Error::BadRequest("Digest has no SHA-256 value".into())),
    }
}

/// Headers to add to an outgoing request, signed with `key` over
/// `(request-target) host date digest` (without `digest` when there is no body):
/// `Host`, `Date`, `Digest` (with a body) and `Signature`, as (name, value) pairs.
///
/// RSA signing costs about a millisecond of CPU.
pub fn sign_request(
    method: &str,
    url: &Url,
    body: Option<&[u8]>,
    key_id: &Url,
    key: &actors::KeyPair,
) -> Result<Vec<(String, String)>, Error> {
    let host = match (url.host_str(), url.port()) {
        (Some(host), None) => host.to_owned(),
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (None, _) => return Err(Error::Remote(format!("cannot sign a request to {url}"))),
    };
    let date = httpdate::fmt_http_date(SystemTime::now());
    let method = method.to_ascii_lowercase();
    let (path, query) = (url.path(), url.query().map(|q| format!("?{q}")));
    let mut signing = format!(
        "(request-target): {method} {path}{}\nhost: {host}\ndate: {date}",
        query.as_deref().unwrap_or_default()
    );
    let digest = body.map(digest_header);
    if let Some(digest) = &digest {
        signing.push_str("\ndigest: ");
        signing.push_str(digest);
    }
    let signature = B64.encode(key.sign_sha256(signing.as_bytes()));
    let covered = match digest {
        Some(_) => "(request-target) host date digest",
        None => "(request-target) host date",
    };
    let header = format!(
        r#"keyId="{key_id}",algorithm="rsa-sha256",headers="{covered}",signature="{signature}""#
    );
    let mut out = vec![("Host".to_owned(), host), ("Date".to_owned(), date)];
    out.extend(digest.map(|digest| ("Digest".to_owned(), digest)));
    out.push(("Signature".to_owned(), header));
    Ok(out)
}

#[cfg(test)]
#[path = "signature_tests.rs"]
mod tests;
