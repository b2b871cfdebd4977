//! Verifying incoming signed requests (draft-cavage): the signature header parsed and
//! pre-checked (algorithm, covered headers, Date, expiry, keyId), the signing string rebuilt
//! (`prepare_verify`), then checked against the signer's RSA key once it is fetched
//! (`PendingSignature::verify_with`).

use super::signature_params::{check_date, parse_params, sig_err, values, Params};
use crate::error::Error;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;
use rsa::RsaPublicKey;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use url::Url;

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

/// The signature header: `Signature`, else `Authorization: Signature ...`.
fn signature_header(headers: &[(String, String)]) -> Option<&str> {
    values(headers, "signature").next().or_else(|| {
        values(headers, "authorization").find_map(|v| {
            let (scheme, rest) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("signature").then_some(rest)
        })
    })
}

/// The algorithm must be absent, `rsa-sha256` or `hs2019`; the signature must cover
/// `(request-target) host date` (and `digest` with a body). Answers the covered headers.
fn check_algorithm_and_coverage<'a>(
    params: &Params<'a>,
    require_digest: bool,
) -> Result<&'a str, Error> {
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
    Ok(covered)
}

/// An `expires` parameter must be a time not yet past.
fn check_expires(expires: Option<&str>) -> Result<(), Error> {
    let Some(expires) = expires else {
        return Ok(());
    };
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
    let header = signature_header(headers);
    let params = parse_params(header.ok_or_else(|| sig_err("request is not signed"))?)?;
    let (Some(key_id), Some(signature)) = (params.key_id, params.signature) else {
        return Err(sig_err("Signature header lacks keyId or signature"));
    };
    let covered = check_algorithm_and_coverage(&params, require_digest)?;
    check_date(headers, max_skew)?;
    check_expires(params.expires)?;
    let key_id = Url::parse(key_id)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .ok_or_else(|| sig_err("keyId is not an absolute http(s) URL"))?;
    let signature = B64
        .decode(signature)
        .map_err(|_| sig_err("signature is not valid base64"))?;
    let request = Request {
        method,
        path_and_query,
        headers,
    };
    let signing_string = signing_string(&request, covered, &params)?;
    Ok(PendingSignature {
        key_id,
        signing_string,
        signature,
    })
}

/// What of the request the signing string is built from.
struct Request<'a> {
    method: &'a str,
    path_and_query: &'a str,
    headers: &'a [(String, String)],
}

/// The string the signature was made over: each covered header, `name: value` on a line.
fn signing_string(req: &Request<'_>, covered: &str, params: &Params<'_>) -> Result<String, Error> {
    let mut signing_string = String::with_capacity(256);
    for name in covered.split_ascii_whitespace() {
        let name = name.to_ascii_lowercase();
        if !signing_string.is_empty() {
            signing_string.push('\n');
        }
        signing_string.push_str(&name);
        signing_string.push_str(": ");
        let mut all = values(req.headers, &name);
        let value = match name.as_str() {
            "(request-target)" => {
                signing_string.extend(req.method.chars().map(|c| c.to_ascii_lowercase()));
                signing_string.push(' ');
                Some(req.path_and_query)
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
    Ok(signing_string)
}
