//! Fake remote servers on loopback (actix-web on a thread of their own, started and stopped by
//! tests/common/fake_server.rs as the tests' fakes are): they serve actor documents `/users/a{i}`
//! with real RSA-2048 keys (actor i uses key i mod keys: generating a thousand keys would take
//! minutes), each with its own inbox `/users/a{i}/inbox` and no shared inbox. Every POST to an
//! inbox is verified independently of Orchard's code (Digest, Date, draft-cavage signature over
//! the covered headers, with the signer's key fetched once and verified by aws-lc-rs; see
//! `remote_verify`) and counted.

use super::common::current_tid;
use super::fake_server::{actor_document, actor_routes, ServerThread};
use super::remote_verify::{verify, KeyCache};
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use actors::KeyPair;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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
    keys: KeyCache,
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
    match verify(&state.keys, &state.key_fetches, &state.client, &req, &body).await {
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
