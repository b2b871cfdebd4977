//! Tests of `signature`.
use super::*;
use crate::federation::signature_params::values;
use rsa::pkcs8::DecodePublicKey;
use rsa::RsaPublicKey;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

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
fn refusals_of_signature_parameters_have_clear_messages() {
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
}

#[test]
fn refusals_of_missing_or_skewed_headers_have_clear_messages() {
    let signed = signed("POST", "https://b.example/inbox", Some(b"x"));
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
    // Checked with the `rsa` crate, independent of the aws-lc-rs verifier we use.
    let public =
        <rsa::RsaPublicKey as rsa::pkcs8::DecodePublicKey>::from_public_key_pem(key().public_pem())
            .unwrap();
    let verifier = rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(public);
    assert!(
        rsa::signature::Verifier::verify(&verifier, theirs.signing_string().as_bytes(), &sig)
            .is_ok()
    );
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

#[test]
fn an_absurd_expires_is_refused_not_a_panic() {
    // Found by fuzzing (fuzz/regressions/signature): u64::MAX seconds overflowed SystemTime.
    let mut h = signed("POST", "https://b.example/inbox", Some(b"x"));
    let sig = h
        .iter_mut()
        .find(|(k, _)| k.eq_ignore_ascii_case("signature"))
        .unwrap();
    sig.1 = sig
        .1
        .replace("signature=", "expires=\"18446744073709551615\",signature=");
    let h: Vec<(String, String)> = h
        .into_iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect();
    let err = prepare_verify("POST", "/inbox", &h, true, SKEW).unwrap_err();
    assert!(err.to_string().contains("expires"), "{err}");
}
