// SPDX-License-Identifier: AGPL-3.0-or-later
//! draft-cavage HTTP signatures, both directions: `Digest: SHA-256=` headers, signing outgoing
//! requests (`rsa-sha256` over `(request-target) host date [digest]`), and parsing, Date-checking
//! and verifying the signature of incoming requests (`Signature:` or `Authorization: Signature`,
//! algorithm absent, `rsa-sha256` or `hs2019`, RSASSA-PKCS1-v1_5 over SHA-256).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;
use rsa::RsaPublicKey;
use sha2::{Digest, Sha256};
use url::Url;

use crate::error::Error;

fn sig_err(message: impl Into<String>) -> Error {
    Error::Signature(message.into())
}

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

/// A parsed RSA public key, ready to verify signatures; cache it per keyId. Verification uses
/// aws-lc-rs (already linked through russh): about 8x faster than the `rsa` crate here.
#[derive(Clone)]
pub struct VerifyingKey(std::sync::Arc<aws_lc_rs::signature::ParsedPublicKey>);

impl std::fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VerifyingKey")
    }
}

impl VerifyingKey {
    /// Parses an RSA public key in PEM: SPKI (`BEGIN PUBLIC KEY`) or PKCS#1
    /// (`BEGIN RSA PUBLIC KEY`). Keys shorter than 2048 bits are refused.
    pub fn from_pem(pem: &str) -> Result<Self, Error> {
        let pem = pem.trim();
        let key = RsaPublicKey::from_public_key_pem(pem)
            .or_else(|_| RsaPublicKey::from_pkcs1_pem(pem))
            .map_err(|_| sig_err("the key's publicKeyPem is not an RSA public key in PEM"))?;
        if key.size() < 256 {
            return Err(sig_err("RSA keys shorter than 2048 bits are not accepted"));
        }
        let der = rsa::pkcs1::EncodeRsaPublicKey::to_pkcs1_der(&key)
            .map_err(|_| sig_err("the key's publicKeyPem is not an RSA public key in PEM"))?;
        let parsed = aws_lc_rs::signature::ParsedPublicKey::new(
            &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
            der.as_bytes(),
        )
        .map_err(|_| sig_err("the key's publicKeyPem is not a usable RSA public key"))?;
        Ok(Self(std::sync::Arc::new(parsed)))
    }
}

/// A parsed and Date-checked, not yet verified, signature of an incoming request.
#[derive(Debug, Clone)]
pub struct PendingSignature {
    key_id: Url,
    signing_string: String,
    signature: Vec<u8>,
}

impl PendingSignature {
    /// The `keyId`: the key to verify with, once fetched.
    pub fn key_id(&self) -> &Url {
        &self.key_id
    }

    /// Verifies with a PEM public key (SPKI or PKCS#1); false if the PEM does not parse.
    pub fn verify(&self, public_key_pem: &str) -> bool {
        VerifyingKey::from_pem(public_key_pem).is_ok_and(|key| self.verify_with(&key))
    }

    /// Verifies with an already parsed key (RSASSA-PKCS1-v1_5, SHA-256).
    pub fn verify_with(&self, key: &VerifyingKey) -> bool {
        key.0
            .verify_sig(self.signing_string.as_bytes(), &self.signature)
            .is_ok()
    }
}

/// The parameters of a `Signature` header, borrowed from it.
#[derive(Default)]
struct Params<'a> {
    key_id: Option<&'a str>,
    algorithm: Option<&'a str>,
    headers: Option<&'a str>,
    signature: Option<&'a str>,
    created: Option<&'a str>,
    expires: Option<&'a str>,
}

fn parse_params(mut rest: &str) -> Result<Params<'_>, Error> {
    let malformed = || sig_err("Signature header is malformed");
    let mut params = Params::default();
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_ascii_whitespace());
        if rest.is_empty() {
            return Ok(params);
        }
        let (name, after) = rest.split_once('=').ok_or_else(malformed)?;
        let after = after.trim_start();
        let (value, tail) = match after.strip_prefix('"') {
            Some(quoted) => quoted.split_once('"').ok_or_else(malformed)?,
            None => after.split_at(after.find(',').unwrap_or(after.len())),
        };
        if !tail.trim_start().is_empty() && !tail.trim_start().starts_with(',') {
            return Err(malformed());
        }
        rest = tail;
        let slot = match name.trim() {
            "keyId" => &mut params.key_id,
            "algorithm" => &mut params.algorithm,
            "headers" => &mut params.headers,
            "signature" => &mut params.signature,
            "created" => &mut params.created,
            "expires" => &mut params.expires,
            _ => continue,
        };
        if slot.replace(value.trim()).is_some() {
            return Err(sig_err(format!("Signature header repeats {}", name.trim())));
        }
    }
}

/// The values of header `name` in `headers`.
fn values<'a>(headers: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a str> {
    headers
        .iter()
        .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

fn check_date(headers: &[(String, String)], max_skew: Duration) -> Result<(), Error> {
    let mut dates = values(headers, "date");
    let date = dates.next().ok_or_else(|| sig_err("missing Date header"))?;
    if dates.next().is_some() {
        return Err(sig_err("more than one Date header"));
    }
    let date = httpdate::parse_http_date(date)
        .map_err(|_| sig_err("Date header is not a valid HTTP date"))?;
    let (skew, direction) = match SystemTime::now().duration_since(date) {
        Ok(age) => (age, "in the past"),
        Err(ahead) => (ahead.duration(), "in the future"),
    };
    if skew > max_skew {
        return Err(sig_err(format!(
            "Date header is {} s {direction}; at most {} s of skew is accepted",
            skew.as_secs(),
            max_skew.as_secs()
        )));
    }
    Ok(())
}

/// Parses and pre-checks the signature of an incoming request; see the module docs. `headers`
/// are (lowercase name, value) pairs; `path_and_query` is e.g. `/people/bob/inbox`.
pub fn prepare_verify(
    method: &str,
    path_and_query: &str,
    headers: &[(String, String)],
    require_digest: bool,
    max_skew: Duration,
) -> Result<PendingSignature, Error> {
    let header = values(headers, "signature").next().or_else(|| {
        values(headers, "authorization").find_map(|v| {
            let (scheme, rest) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("signature").then_some(rest)
        })
    });
    let params = parse_params(header.ok_or_else(|| sig_err("request is not signed"))?)?;
    let (Some(key_id), Some(signature)) = (params.key_id, params.signature) else {
        return Err(sig_err("Signature header lacks keyId or signature"));
    };
    let algorithm = params.algorithm.unwrap_or("hs2019");
    if !matches!(
        algorithm.to_ascii_lowercase().as_str(),
        "rsa-sha256" | "hs2019"
    ) {
        let shown: String = algorithm.chars().take(40).collect();
        let message =
            format!("unsupported signature algorithm {shown:?}; use rsa-sha256 or hs2019");
        return Err(sig_err(message));
    }
    // draft-cavage-12: a missing `headers` parameter means `(created)` alone.
    let covered = params.headers.unwrap_or("(created)");
    let required = ["(request-target)", "host", "date", "digest"];
    for name in &required[..3 + usize::from(require_digest)] {
        if !covered
            .split_ascii_whitespace()
            .any(|c| c.eq_ignore_ascii_case(name))
        {
            return Err(sig_err(format!("the signature must cover {name}")));
        }
    }
    check_date(headers, max_skew)?;
    if let Some(expires) = params.expires {
        let expires = expires
            .split('.')
            .next()
            .and_then(|s| s.parse::<u64>().ok());
        // checked_add: an absurd `expires` (found by fuzzing) must not overflow the clock.
        let at = expires.and_then(|secs| UNIX_EPOCH.checked_add(Duration::from_secs(secs)));
        if at.is_none_or(|at| at < SystemTime::now()) {
            return Err(sig_err(
                "the signature has expired or its expires is not a valid time",
            ));
        }
    }
    let key_id = Url::parse(key_id)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .ok_or_else(|| sig_err("keyId is not an absolute http(s) URL"))?;
    let signature = B64
        .decode(signature)
        .map_err(|_| sig_err("signature is not valid base64"))?;

    let mut signing_string = String::with_capacity(256);
    for name in covered.split_ascii_whitespace() {
        let name = name.to_ascii_lowercase();
        if !signing_string.is_empty() {
            signing_string.push('\n');
        }
        signing_string.push_str(&name);
        signing_string.push_str(": ");
        let mut all = values(headers, &name);
        let value = match name.as_str() {
            "(request-target)" => {
                signing_string.extend(method.chars().map(|c| c.to_ascii_lowercase()));
                signing_string.push(' ');
                Some(path_and_query)
            }
            "(created)" => params.created,
            "(expires)" => params.expires,
            _ => all.next(),
        };
        let Some(value) = value else {
            let shown: String = name.chars().take(40).collect();
            return Err(sig_err(format!(
                "signed header {shown} is missing from the request"
            )));
        };
        signing_string.push_str(value);
        // A repeated header's values are joined with ", " (draft-cavage section 2.3).
        for value in all.filter(|_| !name.starts_with('(')) {
            signing_string.push_str(", ");
            signing_string.push_str(value);
        }
    }
    Ok(PendingSignature {
        key_id,
        signing_string,
        signature,
    })
}

#[cfg(test)]
#[path = "signature_tests.rs"]
mod tests;
