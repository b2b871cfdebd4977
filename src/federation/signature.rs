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
use rsa::signature::Verifier;
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

/// A parsed RSA public key, ready to verify signatures; cache it per keyId.
#[derive(Debug, Clone)]
pub struct VerifyingKey(rsa::pkcs1v15::VerifyingKey<Sha256>);

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
        Ok(Self(rsa::pkcs1v15::VerifyingKey::new(key)))
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
        rsa::pkcs1v15::Signature::try_from(self.signature.as_slice())
            .is_ok_and(|sig| key.0.verify(self.signing_string.as_bytes(), &sig).is_ok())
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
        if expires.is_none_or(|at| UNIX_EPOCH + Duration::from_secs(at) < SystemTime::now()) {
            return Err(sig_err("the signature has expired"));
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
mod tests {
    use super::*;
    use std::sync::OnceLock;

    const SKEW: Duration = Duration::from_secs(300);

    fn key() -> &'static actors::KeyPair {
        static KEY: OnceLock<actors::KeyPair> = OnceLock::new();
        KEY.get_or_init(|| actors::KeyPair::generate().unwrap())
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    /// A signed POST (or GET without body) to b.example, as lowercase request headers.
    fn signed(method: &str, target: &str, body: Option<&[u8]>) -> Vec<(String, String)> {
        let key_id = url("https://a.example/people/alice#main-key");
        sign_request(method, &url(target), body, &key_id, key())
            .unwrap()
            .into_iter()
            .map(|(n, v)| (n.to_ascii_lowercase(), v))
            .collect()
    }

    fn set(headers: &mut Vec<(String, String)>, name: &str, value: Option<String>) {
        headers.retain(|(n, _)| n != name);
        if let Some(value) = value {
            headers.push((name.to_owned(), value));
        }
    }

    fn edit_signature(headers: &mut [(String, String)], from: &str, to: &str) {
        let (_, value) = headers.iter_mut().find(|(n, _)| n == "signature").unwrap();
        assert!(value.contains(from), "{value} lacks {from}");
        *value = value.replace(from, to);
    }

    fn err(r: Result<PendingSignature, Error>) -> String {
        match r {
            Err(Error::Signature(m)) => m,
            other => panic!("expected a signature error, got {other:?}"),
        }
    }

    #[test]
    fn post_round_trip_and_tampering() {
        let body = br#"{"type":"Follow"}"#;
        let h = signed("POST", "https://b.example/people/bob/inbox", Some(body));
        assert_eq!(values(&h, "host").next(), Some("b.example"));
        let p = prepare_verify("POST", "/people/bob/inbox", &h, true, SKEW).unwrap();
        assert_eq!(
            p.key_id().as_str(),
            "https://a.example/people/alice#main-key"
        );
        assert!(p.verify(key().public_pem()));
        assert!(!p.verify("not a pem"));
        check_digest(values(&h, "digest").next(), body).unwrap();
        // Another path, another body's digest: the signature no longer matches.
        let other = prepare_verify("POST", "/people/eve/inbox", &h, true, SKEW).unwrap();
        assert!(!other.verify(key().public_pem()));
        let mut h = h.clone();
        set(&mut h, "digest", Some(digest_header(b"{}")));
        let swapped = prepare_verify("POST", "/people/bob/inbox", &h, true, SKEW).unwrap();
        assert!(!swapped.verify(key().public_pem()));
    }

    #[test]
    fn get_round_trip_with_port_and_query() {
        let h = signed("GET", "http://b.example:8080/people/bob?page=2", None);
        assert_eq!(values(&h, "host").next(), Some("b.example:8080"));
        assert!(values(&h, "digest").next().is_none());
        let p = prepare_verify("GET", "/people/bob?page=2", &h, false, SKEW).unwrap();
        assert!(p.verify_with(&VerifyingKey::from_pem(key().public_pem()).unwrap()));
        let m = err(prepare_verify("GET", "/people/bob?page=2", &h, true, SKEW));
        assert_eq!(m, "the signature must cover digest");
    }

    #[test]
    fn authorization_form_hs2019_and_pkcs1_keys_are_accepted() {
        use rsa::pkcs1::EncodeRsaPublicKey;
        let mut h = signed("POST", "https://b.example/inbox", Some(b"x"));
        edit_signature(&mut h, "rsa-sha256", "hs2019");
        let value = values(&h, "signature").next().unwrap().to_owned();
        set(&mut h, "signature", None);
        set(&mut h, "authorization", Some(format!("Signature {value}")));
        let p = prepare_verify("POST", "/inbox", &h, true, SKEW).unwrap();
        let public = RsaPublicKey::from_public_key_pem(key().public_pem()).unwrap();
        let pkcs1 = public.to_pkcs1_pem(rsa::pkcs8::LineEnding::LF).unwrap();
        assert!(pkcs1.starts_with("-----BEGIN RSA PUBLIC KEY-----"));
        assert!(p.verify(&pkcs1));
        set(&mut h, "authorization", Some("Bearer abc".into()));
        let m = err(prepare_verify("POST", "/inbox", &h, true, SKEW));
        assert_eq!(m, "request is not signed");
    }

    #[test]
    fn refusals_have_clear_messages() {
        let signed = signed("POST", "https://b.example/inbox", Some(b"x"));
        assert!(prepare_verify("POST", "/inbox", &signed, true, SKEW).is_ok());
        let all = "(request-target) host date digest";
        for (from, to, expected) in [
            (
                "rsa-sha256",
                "hmac-sha256",
                "unsupported signature algorithm \"hmac-sha256\"",
            ),
            (
                all,
                "(request-target) host date",
                "the signature must cover digest",
            ),
            (
                all,
                "(request-target) date digest",
                "the signature must cover host",
            ),
            (
                all,
                "(request-target) host digest",
                "the signature must cover date",
            ),
            (
                all,
                "host date digest",
                "the signature must cover (request-target)",
            ),
            (
                "keyId=\"https",
                "keyId=\"ftp",
                "keyId is not an absolute http(s) URL",
            ),
            (
                "keyId=\"",
                "keyId=\"x",
                "keyId is not an absolute http(s) URL",
            ),
            (
                "signature=\"",
                "signature=\"a\"b",
                "Signature header is malformed",
            ),
        ] {
            let mut h = signed.clone();
            edit_signature(&mut h, from, to);
            let m = err(prepare_verify("POST", "/inbox", &h, true, SKEW));
            assert!(m.starts_with(expected), "{to}: {m}");
        }
        let now = SystemTime::now();
        let date = |at: SystemTime| Some(httpdate::fmt_http_date(at));
        let (old, ahead) = (
            now - Duration::from_secs(600),
            now + Duration::from_secs(3600),
        );
        for (name, value, start, end) in [
            ("signature", None, "request is not signed", ""),
            (
                "date",
                date(old),
                "Date header is 60",
                " s in the past; at most 300 s of skew is accepted",
            ),
            (
                "date",
                date(ahead),
                "Date header is 3",
                " s in the future; at most 300 s of skew is accepted",
            ),
            (
                "date",
                Some("yesterday".into()),
                "Date header is not a valid HTTP date",
                "",
            ),
            ("date", None, "missing Date header", ""),
            (
                "digest",
                None,
                "signed header digest is missing from the request",
                "",
            ),
        ] {
            let mut h = signed.clone();
            set(&mut h, name, value);
            let m = err(prepare_verify("POST", "/inbox", &h, true, SKEW));
            assert!(m.starts_with(start) && m.ends_with(end), "{name}: {m}");
        }
    }

    #[test]
    fn interoperates_with_http_signature_normalization() {
        use http_signature_normalization::Config;
        use std::collections::BTreeMap;
        let config = Config::new()
            .mastodon_compat()
            .require_digest()
            .set_expiration(SKEW);
        // Theirs (hs2019, Mastodon-compatible) verified by ours.
        let mut map = BTreeMap::new();
        map.insert("host".to_owned(), "b.example".to_owned());
        map.insert(
            "date".to_owned(),
            httpdate::fmt_http_date(SystemTime::now()),
        );
        map.insert("digest".to_owned(), digest_header(b"x"));
        let signature = config
            .begin_sign("POST", "/inbox", map.clone())
            .unwrap()
            .sign("https://a.example/actor#k".to_owned(), |s| {
                Ok::<_, Error>(B64.encode(key().sign_sha256(s.as_bytes())))
            })
            .unwrap()
            .signature_header();
        let mut h: Vec<_> = map.into_iter().collect();
        h.push(("signature".to_owned(), signature));
        let p = prepare_verify("POST", "/inbox", &h, true, SKEW).unwrap();
        assert!(p.verify(key().public_pem()));
        // Ours verified by theirs.
        let ours = signed("POST", "https://b.example/inbox", Some(b"x"));
        let theirs = config
            .begin_verify("POST", "/inbox", ours.into_iter().collect())
            .unwrap();
        assert_eq!(theirs.key_id(), "https://a.example/people/alice#main-key");
        let sig = B64.decode(theirs.signature()).unwrap();
        let sig = rsa::pkcs1v15::Signature::try_from(sig.as_slice()).unwrap();
        let key = VerifyingKey::from_pem(key().public_pem()).unwrap();
        assert!(key
            .0
            .verify(theirs.signing_string().as_bytes(), &sig)
            .is_ok());
    }

    #[test]
    fn digests() {
        let body = b"hello";
        let ours = digest_header(body);
        assert_eq!(ours, "SHA-256=LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=");
        check_digest(Some(&ours), body).unwrap();
        let lower = ours.replace("SHA", "sha");
        check_digest(Some(&format!("sha-512=AAAA, {lower}")), body).unwrap();
        let msg = |digest: Option<&str>, body: &[u8]| match check_digest(digest, body) {
            Err(Error::BadRequest(m)) => m,
            other => panic!("{other:?}"),
        };
        let mismatch = "Digest does not match the body";
        assert_eq!(msg(Some(&ours), b"hellO"), mismatch);
        assert_eq!(msg(Some(&format!("{ours},SHA-256=AAAA")), body), mismatch);
        assert_eq!(
            msg(Some("SHA-512=AAAA"), body),
            "Digest has no SHA-256 value"
        );
        assert_eq!(msg(None, body), "missing Digest header");
    }
}
