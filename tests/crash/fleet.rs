//! The ten fake remote servers (ten listeners of one actix server, one actor `s<i>` each): they
//! serve their actor documents, record every POST Orchard delivers to their inboxes (with the
//! epoch: how many kills came before) and answer 503 while blocked; they sign the Follows the
//! senders post.

use crate::common::fake_server::{actor_document, actor_routes, ServerThread};
use crate::plan::SENDERS;
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use actors::KeyPair;
use serde_json::Value;
use std::collections::HashSet;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// One POST a fake server received from Orchard.
#[derive(Clone, Debug)]
pub struct Post {
    /// How many kills happened before it was received (0 before the first kill).
    pub epoch: u8,
    pub at: Instant,
    /// The sender whose inbox it was POSTed to.
    pub sender: usize,
    pub status: u16,
    pub kind: String,
    /// The delivered activity's id (the Accept's).
    pub id: String,
    /// The id of the embedded object (for an Accept: the Follow).
    pub object_id: String,
}

pub struct FleetState {
    /// Base URL of each sender's server.
    pub bases: Vec<String>,
    pub keys: Vec<KeyPair>,
    /// Senders whose inbox answers 503.
    pub blocked: Mutex<HashSet<usize>>,
    pub posts: Mutex<Vec<Post>>,
    pub epoch: AtomicU8,
}

/// Ten remote "servers" (ten listeners of one actix server), one actor `s<i>` each.
pub struct Fleet {
    pub state: Arc<FleetState>,
    /// Stops the server when the fleet is dropped.
    pub _server: ServerThread,
}

/// The sender a request is for, from the port it arrived on.
fn sender_of(state: &FleetState, req: &HttpRequest) -> Option<usize> {
    let port = req.app_config().local_addr().port();
    state
        .bases
        .iter()
        .position(|b| b.ends_with(&format!(":{port}")))
}

async fn actor_doc(
    state: web::Data<Arc<FleetState>>,
    req: HttpRequest,
    name: web::Path<String>,
) -> HttpResponse {
    let Some(i) = sender_of(&state, &req).filter(|i| *name == format!("s{i}")) else {
        return HttpResponse::NotFound().finish();
    };
    let id = format!("{}/users/s{i}", state.bases[i]);
    HttpResponse::Ok()
        .content_type("application/activity+json")
        .json(actor_document(
            &id,
            &format!("s{i}"),
            state.keys[i].public_pem(),
        ))
}

async fn inbox(
    state: web::Data<Arc<FleetState>>,
    req: HttpRequest,
    name: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let Some(sender) = sender_of(&state, &req).filter(|i| *name == format!("s{i}")) else {
        return HttpResponse::NotFound().finish();
    };
    let value: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let status = if state.blocked.lock().unwrap().contains(&sender) {
        503
    } else {
        202
    };
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    state.posts.lock().unwrap().push(Post {
        epoch: state.epoch.load(Ordering::SeqCst),
        at: Instant::now(),
        sender,
        status,
        kind: text(&value["type"]),
        id: text(&value["id"]),
        object_id: text(&value["object"]["id"]),
    });
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap()).finish()
}

impl Fleet {
    pub async fn start() -> Fleet {
        let keys = tokio::task::spawn_blocking(|| {
            std::thread::scope(|s| {
                let handles: Vec<_> = (0..SENDERS)
                    .map(|_| s.spawn(|| KeyPair::generate().expect("key")))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("keygen"))
                    .collect::<Vec<_>>()
            })
        })
        .await
        .expect("keys");
        let listeners: Vec<std::net::TcpListener> = (0..SENDERS)
            .map(|_| std::net::TcpListener::bind("127.0.0.1:0").expect("bind"))
            .collect();
        let bases = listeners
            .iter()
            .map(|l| format!("http://127.0.0.1:{}", l.local_addr().unwrap().port()))
            .collect();
        let state = Arc::new(FleetState {
            bases,
            keys,
            blocked: Mutex::new(HashSet::new()),
            posts: Mutex::new(Vec::new()),
            epoch: AtomicU8::new(0),
        });
        let shared = state.clone();
        let server = ServerThread::spawn("crash-fleet", move || {
            let data = web::Data::new(shared);
            let mut server = HttpServer::new(move || {
                App::new().configure(|c| actor_routes(c, &data, actor_doc, inbox))
            })
            .workers(2)
            .disable_signals();
            for l in listeners {
                server = server.listen(l).expect("listen");
            }
            server.run()
        });
        Fleet {
            state,
            _server: server,
        }
    }

    pub fn actor(&self, i: usize) -> String {
        format!("{}/users/s{i}", self.state.bases[i])
    }

    pub fn set_blocked(&self, senders: impl IntoIterator<Item = usize>) {
        *self.state.blocked.lock().unwrap() = senders.into_iter().collect();
    }

    pub fn posts(&self) -> Vec<Post> {
        self.state.posts.lock().unwrap().clone()
    }

    /// POSTs `body` to `url` signed by sender `i` (draft-cavage, rsa-sha256, with Digest).
    pub async fn post(
        &self,
        client: &reqwest::Client,
        i: usize,
        url: &str,
        body: Vec<u8>,
    ) -> Result<u16, String> {
        let target = url::Url::parse(url).unwrap();
        let key_id = url::Url::parse(&format!("{}#main-key", self.actor(i))).unwrap();
        let headers = orchard::federation::signature::sign_request(
            "POST",
            &target,
            Some(&body),
            &key_id,
            &self.state.keys[i],
        )
        .map_err(|e| e.to_string())?;
        let mut req = client
            .post(target)
            .header("Content-Type", "application/activity+json");
        for (name, value) in headers {
            req = req.header(name, value);
        }
        match req.body(body).send().await {
            Ok(res) => Ok(res.status().as_u16()),
            Err(e) => Err(format!("{e:?}")),
        }
    }
}
