//! A fake remote fediverse server for tests: serves actor documents with real RSA keys, records
//! what is POSTed to its inboxes (answering a chosen status), and signs requests the way a
//! remote server would — or deliberately wrongly, for the negative tests.
#![allow(dead_code)]

use super::fake_server::{actor_document, actor_routes, ServerThread};
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use actors::KeyPair;
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// One POST the fake received: (path, headers, JSON body).
pub type Received = (String, HashMap<String, String>, Value);

struct FakeState {
    base: String,
    keys: HashMap<String, KeyPair>,
    received: Mutex<Vec<Received>>,
    inbox_status: AtomicU16,
}

/// A running fake server with actors `mallory` and `eve`.
pub struct FakeRemote {
    pub url: String,
    state: Arc<FakeState>,
    /// Stops the server when the fake is dropped.
    _server: ServerThread,
}

/// How to sign a request (all correct by default).
#[derive(Clone)]
pub struct Sign {
    /// The actor whose keyId is named.
    pub as_actor: String,
    /// Sign with this actor's key instead (a wrong key when it differs).
    pub key_of: Option<String>,
    pub date: SystemTime,
    /// Send a raw Date header instead (e.g. unparseable).
    pub raw_date: Option<String>,
    pub digest: DigestMode,
    pub signed: bool,
    /// Body actually sent, when it should differ from the signed one (tampering).
    pub send_body: Option<Vec<u8>>,
    /// The Host to sign and send instead of the target URL's (a request meant for another
    /// server, replayed).
    pub host: Option<String>,
    /// The path to sign in `(request-target)` instead of the one POSTed to.
    pub signed_path: Option<String>,
    /// The keyId to name instead of `as_actor`'s (e.g. on a made-up host).
    pub key_id: Option<String>,
    /// The local address to send from (any 127.x.y.z on Linux), instead of the default.
    pub from: Option<std::net::IpAddr>,
}

#[derive(Clone, PartialEq)]
pub enum DigestMode {
    Correct,
    Missing,
}

impl Sign {
    pub fn by(actor: &str) -> Sign {
        Sign {
            as_actor: actor.into(),
            key_of: None,
            date: SystemTime::now(),
            raw_date: None,
            digest: DigestMode::Correct,
            signed: true,
            send_body: None,
            host: None,
            signed_path: None,
            key_id: None,
            from: None,
        }
    }
}

async fn actor_doc(state: web::Data<Arc<FakeState>>, name: web::Path<String>) -> HttpResponse {
    let Some(key) = state.keys.get(name.as_str()) else {
        return HttpResponse::NotFound().finish();
    };
    let id = format!("{}/users/{}", state.base, name);
    let mut doc = actor_document(&id, &name, key.public_pem());
    doc["endpoints"] = json!({"sharedInbox": format!("{}/inbox", state.base)});
    doc["followers"] = json!(format!("{id}/followers"));
    HttpResponse::Ok()
        .content_type("application/activity+json")
        .json(doc)
}

async fn inbox(
    state: web::Data<Arc<FakeState>>,
    req: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    let headers = req
        .headers()
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
        .collect();
    let value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    state
        .received
        .lock()
        .unwrap()
        .push((req.path().to_string(), headers, value));
    let status = state.inbox_status.load(Ordering::SeqCst);
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap()).finish()
}

impl FakeRemote {
    pub fn start() -> FakeRemote {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let mut keys = HashMap::new();
        for name in ["mallory", "eve"] {
            keys.insert(name.to_string(), KeyPair::generate().unwrap());
        }
        let state = Arc::new(FakeState {
            base: url.clone(),
            keys,
            received: Mutex::new(Vec::new()),
            inbox_status: AtomicU16::new(202),
        });
        let shared = state.clone();
        let server = ServerThread::spawn("fake-remote", move || {
            let data = web::Data::new(shared);
            HttpServer::new(move || {
                App::new()
                    .configure(|c| actor_routes(c, &data, actor_doc, inbox))
                    .route("/inbox", web::post().to(inbox))
            })
            .workers(1)
            .disable_signals()
            .listen(listener)
            .unwrap()
            .run()
        });
        FakeRemote {
            url,
            state,
            _server: server,
        }
    }

    pub fn actor(&self, name: &str) -> String {
        format!("{}/users/{}", self.url, name)
    }

    pub fn key_id(&self, name: &str) -> String {
        format!("{}#main-key", self.actor(name))
    }

    pub fn set_inbox_status(&self, status: u16) {
        self.state.inbox_status.store(status, Ordering::SeqCst);
    }

    /// Everything POSTed to the fake's inboxes: (path, headers, JSON body).
    pub fn received(&self) -> Vec<Received> {
        self.state.received.lock().unwrap().clone()
    }

    /// POSTs `body` to `url`, signed as `sign` says. Answers (status, JSON body).
    pub async fn post(&self, url: &str, body: &[u8], sign: &Sign) -> (u16, Value) {
        let (status, _, body) = self.post_with_headers(url, body, sign).await;
        (status, body)
    }

    /// Like `post`, also answering the response headers.
    pub async fn post_with_headers(
        &self,
        url: &str,
        body: &[u8],
        sign: &Sign,
    ) -> (u16, reqwest::header::HeaderMap, Value) {
        let target = url::Url::parse(url).unwrap();
        let host = sign.host.clone().unwrap_or_else(|| {
            format!("{}:{}", target.host_str().unwrap(), target.port().unwrap())
        });
        let date = sign
            .raw_date
            .clone()
            .unwrap_or_else(|| httpdate::fmt_http_date(sign.date));
        let digest = format!(
            "SHA-256={}",
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body))
        );
        let mut req = client_for(sign)
            .post(url)
            .header("Content-Type", "application/activity+json")
            .header("Host", &host)
            .header("Date", &date);
        let mut covered = "(request-target) host date".to_string();
        let mut signing = format!(
            "(request-target): post {}\nhost: {host}\ndate: {date}",
            sign.signed_path.as_deref().unwrap_or(target.path())
        );
        if sign.digest == DigestMode::Correct {
            req = req.header("Digest", &digest);
            covered.push_str(" digest");
            signing.push_str(&format!("\ndigest: {digest}"));
        }
        if sign.signed {
            let key = &self.state.keys[sign.key_of.as_deref().unwrap_or(&sign.as_actor)];
            let signature = base64::engine::general_purpose::STANDARD
                .encode(key.sign_sha256(signing.as_bytes()));
            req = req.header(
                "Signature",
                format!(
                    r#"keyId="{}",algorithm="rsa-sha256",headers="{covered}",signature="{signature}""#,
                    sign.key_id
                        .clone()
                        .unwrap_or_else(|| self.key_id(&sign.as_actor))
                ),
            );
        }
        let sent = sign.send_body.clone().unwrap_or_else(|| body.to_vec());
        let res = req.body(sent).send().await.unwrap();
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        (status, headers, res.json().await.unwrap_or(Value::Null))
    }

    /// GETs `url` with `Accept: application/activity+json`, signed by `as_actor` over
    /// `(request-target) host date` for `host` (the URL's own authority when None).
    /// Answers (status, JSON body).
    pub async fn signed_get(&self, url: &str, as_actor: &str, host: Option<&str>) -> (u16, Value) {
        let target = url::Url::parse(url).unwrap();
        let own = format!("{}:{}", target.host_str().unwrap(), target.port().unwrap());
        let host = host.unwrap_or(&own);
        let date = httpdate::fmt_http_date(SystemTime::now());
        let query = target.query().map(|q| format!("?{q}")).unwrap_or_default();
        let signing = format!(
            "(request-target): get {}{query}\nhost: {host}\ndate: {date}",
            target.path()
        );
        let key = &self.state.keys[as_actor];
        let signature =
            base64::engine::general_purpose::STANDARD.encode(key.sign_sha256(signing.as_bytes()));
        let res = super::client::client()
            .get(url)
            .header("Accept", "application/activity+json")
            .header("Host", host)
            .header("Date", &date)
            .header(
                "Signature",
                format!(
                    r#"keyId="{}",algorithm="rsa-sha256",headers="(request-target) host date",signature="{signature}""#,
                    self.key_id(as_actor)
                ),
            )
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }
}

/// The client a signed POST goes out with: from `sign.from` when set.
fn client_for(sign: &Sign) -> reqwest::Client {
    match sign.from {
        Some(ip) => reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .local_address(ip)
            .build()
            .unwrap(),
        None => super::client::client(),
    }
}
