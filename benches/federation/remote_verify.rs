//! How the fake remote servers verify every POST, independently of Orchard's code: Digest,
//! Date, the draft-cavage signature over the covered headers, with the signer's key fetched once
//! (cached by keyId) and verified by aws-lc-rs.

use actix_web::HttpRequest;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use rsa::pkcs1::EncodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// The signers' keys fetched so far, by keyId.
pub type KeyCache = tokio::sync::Mutex<HashMap<String, Arc<aws_lc_rs::signature::ParsedPublicKey>>>;

/// `k="v"` pairs of a Signature header.
fn params(header: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut rest = header;
    while let Some((k, after)) = rest.split_once('=') {
        let k = k
            .trim_matches(|c: char| c == ',' || c.is_whitespace())
            .to_string();
        let (v, tail) = match after.strip_prefix('"') {
            Some(q) => match q.split_once('"') {
                Some((v, t)) => (v, t),
                None => break,
            },
            None => after.split_at(after.find(',').unwrap_or(after.len())),
        };
        out.insert(k, v.to_string());
        rest = tail;
    }
    out
}

/// Verifies a signed POST the way a careful remote server would (our own code, not Orchard's).
pub async fn verify(
    keys: &KeyCache,
    fetches: &AtomicU64,
    client: &reqwest::Client,
    req: &HttpRequest,
    body: &[u8],
) -> Result<(), String> {
    let h = |name: &str| header(req, name);
    let sig = h("signature").ok_or("no Signature header")?;
    let p = params(&sig);
    let alg = p.get("algorithm").map(String::as_str).unwrap_or("hs2019");
    if alg != "rsa-sha256" && alg != "hs2019" {
        return Err(format!("algorithm {alg}"));
    }
    let covered = p.get("headers").ok_or("no headers parameter")?;
    for need in ["(request-target)", "host", "date", "digest"] {
        if !covered.split(' ').any(|c| c == need) {
            return Err(format!("{need} not covered"));
        }
    }
    let digest = h("digest").ok_or("no Digest")?;
    if digest != format!("SHA-256={}", B64.encode(Sha256::digest(body))) {
        return Err("Digest does not match the body".into());
    }
    let date = h("date").ok_or("no Date")?;
    let when = httpdate::parse_http_date(&date).map_err(|_| "bad Date")?;
    let skew = match SystemTime::now().duration_since(when) {
        Ok(d) => d,
        Err(e) => e.duration(),
    };
    if skew > Duration::from_secs(300) {
        return Err("Date out of range".into());
    }
    let signing = signing_string(req, covered)?;
    let signature = B64
        .decode(p.get("signature").ok_or("no signature")?)
        .map_err(|_| "bad base64")?;
    let key_id = p.get("keyId").ok_or("no keyId")?;
    let key = key_for(keys, fetches, client, key_id).await?;
    key.verify_sig(signing.as_bytes(), &signature)
        .map_err(|_| format!("signature does not verify with {key_id}"))
}

/// The request header `name`, as text.
fn header(req: &HttpRequest, name: &str) -> Option<String> {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The signing string of `req` over the `covered` headers (space separated).
fn signing_string(req: &HttpRequest, covered: &str) -> Result<String, String> {
    let mut signing = String::new();
    for name in covered.split(' ') {
        if !signing.is_empty() {
            signing.push('\n');
        }
        let value = if name == "(request-target)" {
            format!(
                "{} {}",
                req.method().as_str().to_ascii_lowercase(),
                req.uri()
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/")
            )
        } else {
            header(req, name).ok_or_else(|| format!("signed header {name} missing"))?
        };
        signing.push_str(name);
        signing.push_str(": ");
        signing.push_str(&value);
    }
    Ok(signing)
}

/// The key `key_id` names, fetched once (every later request waits for and reuses it).
async fn key_for(
    cache: &KeyCache,
    fetches: &AtomicU64,
    client: &reqwest::Client,
    key_id: &str,
) -> Result<Arc<aws_lc_rs::signature::ParsedPublicKey>, String> {
    let mut keys = cache.lock().await;
    if let Some(k) = keys.get(key_id) {
        return Ok(k.clone());
    }
    fetches.fetch_add(1, Ordering::Relaxed);
    let doc: Value = client
        .get(key_id)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .map_err(|e| format!("fetch {key_id}: {e}"))?
        .json()
        .await
        .map_err(|e| format!("fetch {key_id}: {e}"))?;
    let pem = doc["publicKeyPem"]
        .as_str()
        .or_else(|| doc["publicKey"]["publicKeyPem"].as_str())
        .or_else(|| doc["publicKey"][0]["publicKeyPem"].as_str())
        .ok_or_else(|| format!("no publicKeyPem in {key_id}"))?;
    let public = rsa::RsaPublicKey::from_public_key_pem(pem.trim())
        .map_err(|e| format!("bad PEM at {key_id}: {e}"))?;
    let der = public.to_pkcs1_der().map_err(|e| e.to_string())?;
    let key = Arc::new(
        aws_lc_rs::signature::ParsedPublicKey::new(
            &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
            der.as_bytes(),
        )
        .map_err(|_| format!("unusable key at {key_id}"))?,
    );
    keys.insert(key_id.to_string(), key.clone());
    Ok(key)
}
