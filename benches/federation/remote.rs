//! Fake remote servers on loopback (actix-web on a thread of their own, started and stopped by
//! tests/common/fake_server.rs as the tests' fakes are): they serve actor documents `/users/a{i}`
//! with real RSA-2048 keys (actor i uses key i mod keys: generating a thousand keys would take
//! minutes), each with its own inbox `/users/a{i}/inbox` and no shared inbox. Every POST to an
//! inbox is verified independently of Orchard's code (Digest, Date, draft-cavage signature over
//! the covered headers, with the signer's key fetched once and verified by aws-lc-rs) and counted.

use super::common::current_tid;
use super::fake_server::{actor_document, actor_routes, ServerThread};
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use actors::KeyPair;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use rsa::pkcs1::EncodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// One verified delivery: when it was verified, to which actor, and the activity's type.
#[derive(Clone)]
pub struct Delivered {
    pub at: Instant,
    pub actor: usize,
    pub kind: String,
}

pub struct RemoteState {
    pub base: String,
    pems: Vec<String>,
    actors: usize,
    pub valid: AtomicU64,
    pub invalid: AtomicU64,
    pub log: Mutex<Vec<Delivered>>,
    pub invalid_reasons: Mutex<Vec<String>>,
    keys: tokio::sync::Mutex<HashMap<String, Arc<aws_lc_rs::signature::ParsedPublicKey>>>,
    pub key_fetches: AtomicU64,
    /// Threads that served requests (for the CPU report).
    pub tids: Mutex<HashSet<u32>>,
    client: reqwest::Client,
}

pub struct Remote {
    pub url: String,
    pub state: Arc<RemoteState>,
    /// Stops the server when the remote is dropped.
    _server: ServerThread,
}

impl Remote {
    /// Starts a server with `actors` actors over `keys`, served by `workers` threads.
    pub fn start(actors: usize, keys: &[KeyPair], workers: usize) -> Remote {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let state = Arc::new(RemoteState {
            base: url.clone(),
            pems: keys.iter().map(|k| k.public_pem().to_string()).collect(),
            actors,
            valid: AtomicU64::new(0),
            invalid: AtomicU64::new(0),
            log: Mutex::new(Vec::with_capacity(actors * 2)),
            invalid_reasons: Mutex::new(Vec::new()),
            keys: tokio::sync::Mutex::new(HashMap::new()),
            key_fetches: AtomicU64::new(0),
            tids: Mutex::new(HashSet::new()),
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap(),
        });
        let shared = state.clone();
        let server = ServerThread::spawn("remote-server", move || {
            let data = web::Data::new(shared);
            HttpServer::new(move || {
                App::new().configure(|c| actor_routes(c, &data, actor_doc, inbox))
            })
            .workers(workers)
            .backlog(4096)
            .disable_signals()
            .listen(listener)
            .unwrap()
            .run()
        });
        Remote {
            url,
            state,
            _server: server,
        }
    }

    pub fn actor(&self, i: usize) -> String {
        format!("{}/users/a{i}", self.url)
    }

    pub fn key_id(&self, i: usize) -> String {
        format!("{}#main-key", self.actor(i))
    }

    /// Verified deliveries so far, of activity type `kind`.
    pub fn delivered(&self, kind: &str) -> Vec<Delivered> {
        self.state
            .log
            .lock()
            .unwrap()
            .iter()
            .filter(|d| d.kind == kind)
            .cloned()
            .collect()
    }

    pub fn is_worker(&self, tid: u32) -> bool {
        self.state.tids.lock().unwrap().contains(&tid)
    }
}

fn actor_index(state: &RemoteState, name: &str) -> Option<usize> {
    name.strip_prefix('a')?
        .parse::<usize>()
        .ok()
        .filter(|i| *i < state.actors)
}

async fn actor_doc(state: web::Data<Arc<RemoteState>>, name: web::Path<String>) -> HttpResponse {
    let Some(i) = actor_index(&state, &name) else {
        return HttpResponse::NotFound().finish();
    };
    let id = format!("{}/users/a{i}", state.base);
    HttpResponse::Ok()
        .content_type("application/activity+json")
        .json(actor_document(
            &id,
            &format!("a{i}"),
            &state.pems[i % state.pems.len()],
        ))
}

thread_local! {
    static NOTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

async fn inbox(
    state: web::Data<Arc<RemoteState>>,
    req: HttpRequest,
    name: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    if !NOTED.with(|n| n.replace(true)) {
        if let Some(t) = current_tid() {
            state.tids.lock().unwrap().insert(t);
        }
    }
    let Some(i) = actor_index(&state, &name) else {
        return HttpResponse::NotFound().finish();
    };
    match verify(&state, &req, &body).await {
        Ok(()) => {
            let at = Instant::now();
            let kind = serde_json::from_slice::<Value>(&body)
                .ok()
                .and_then(|v| v["type"].as_str().map(str::to_string))
                .unwrap_or_default();
            state.valid.fetch_add(1, Ordering::Relaxed);
            state
                .log
                .lock()
                .unwrap()
                .push(Delivered { at, actor: i, kind });
            HttpResponse::Accepted().finish()
        }
        Err(why) => {
            state.invalid.fetch_add(1, Ordering::Relaxed);
            let mut r = state.invalid_reasons.lock().unwrap();
            if r.len() < 10 {
                r.push(why.clone());
            }
            HttpResponse::Unauthorized().body(why)
        }
    }
}

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
async fn verify(state: &RemoteState, req: &HttpRequest, body: &[u8]) -> Result<(), String> {
    let h = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
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
            h(name).ok_or_else(|| format!("signed header {name} missing"))?
        };
        signing.push_str(name);
        signing.push_str(": ");
        signing.push_str(&value);
    }
    let signature = B64
        .decode(p.get("signature").ok_or("no signature")?)
        .map_err(|_| "bad base64")?;
    let key_id = p.get("keyId").ok_or("no keyId")?;
    let key = key_for(state, key_id).await?;
    key.verify_sig(signing.as_bytes(), &signature)
        .map_err(|_| format!("signature does not verify with {key_id}"))
}

/// The key `key_id` names, fetched once (every later request waits for and reuses it).
async fn key_for(
    state: &RemoteState,
    key_id: &str,
) -> Result<Arc<aws_lc_rs::signature::ParsedPublicKey>, String> {
    let mut keys = state.keys.lock().await;
    if let Some(k) = keys.get(key_id) {
        return Ok(k.clone());
    }
    state.key_fetches.fetch_add(1, Ordering::Relaxed);
    let doc: Value = state
        .client
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
