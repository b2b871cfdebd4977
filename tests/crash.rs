//! Crash test (issue 9): `kill -9` the server while ten remote senders post signed activities.
//! After a restart, every activity that was answered 2xx is stored and processed exactly once,
//! and the deliveries queued before the kill go out after the restart, none twice.
//!
//! Orchard runs as a real child process (`orchard serve`, see `common::process`). Ten fake
//! remote servers (one actor `s<i>` each, on ten ports of one in-process HTTP server) send signed
//! `Follow`s of local people. A Follow has countable effects per activity: one inbox item, a
//! follower entry, and one `Accept` (with its own id, embedding the Follow) published in the
//! person's outbox and delivered back to the sender.
//!
//! - `kill_9_under_load_loses_and_duplicates_nothing`: the scenario. Three senders'
//!   inboxes answer 503 until after the restart, so their Accepts sit in the delivery queue,
//!   with retries, when the server is killed in the middle of the load.
//! - `kill_9_right_after_accepts_went_out`: kills the server three times, each time just after
//!   Accepts were delivered (before sled's periodic flush).
//!
//! Nothing may be POSTed twice within one run of the server. Across a kill, an Accept whose POST
//! was in flight (answered by the remote, the answer not yet recorded by Orchard) is sent again
//! with the same id after the restart: that is at-least-once delivery, which receivers absorb by
//! activity id, and it is tolerated (and printed) when Orchard had not logged the delivery or
//! had logged it less than COMPLETION_GRACE before the kill.
//!
//! On failure the data directory is kept (logs of each boot, `sent.tsv`, `remote-posts.tsv`);
//! ORCHARD_KEEP_CRASH_DIR=1 keeps it on success too; ORCHARD_TEST_LOG sets the server's RUST_LOG.

mod common;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use actors::KeyPair;
use common::fake_server::{actor_document, actor_routes, ServerThread};
use common::process::OrchardProcess;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Remote senders, each its own server (port) with one actor `s<i>`.
const SENDERS: usize = 10;
/// Local people who are followed.
const PEOPLE: usize = 20;
/// Senders whose inbox answers 503 until after the restart.
const BLOCKED: usize = 3;
/// How long the ten senders post before the kill.
const LOAD: Duration = Duration::from_millis(1500);
/// Bound on waiting for every Accept after the restart.
const DELIVERY_WAIT: Duration = Duration::from_secs(25);
/// Quiet time after the last expected Accept, in which a duplicate would show up (retries are
/// at most ~2.5 s apart with these settings).
const SETTLE: Duration = Duration::from_secs(4);
/// How long after Orchard recorded a delivery as done (its "delivered" log line) a kill may
/// still lose that record: sled writes are made durable by its periodic flush every 500 ms (or
/// by a concurrent inbox POST's flush), and Orchard does not flush after a delivery.
const COMPLETION_GRACE: Duration = Duration::from_millis(1000);

const SETTINGS: &str = "[federation]\nallow_private_addresses = true\ndelivery_retry_base_secs = 1\ndelivery_max_backoff_secs = 2\n";

// ---------------------------------------------------------------------------------------------
// The ten fake remote servers.

/// One POST a fake server received from Orchard.
#[derive(Clone, Debug)]
struct Post {
    /// How many kills happened before it was received (0 before the first kill).
    epoch: u8,
    at: Instant,
    /// The sender whose inbox it was POSTed to.
    sender: usize,
    status: u16,
    kind: String,
    /// The delivered activity's id (the Accept's).
    id: String,
    /// The id of the embedded object (for an Accept: the Follow).
    object_id: String,
}

struct FleetState {
    /// Base URL of each sender's server.
    bases: Vec<String>,
    keys: Vec<KeyPair>,
    /// Senders whose inbox answers 503.
    blocked: Mutex<HashSet<usize>>,
    posts: Mutex<Vec<Post>>,
    epoch: AtomicU8,
}

/// Ten remote "servers" (ten listeners of one actix server), one actor `s<i>` each.
struct Fleet {
    state: Arc<FleetState>,
    /// Stops the server when the fleet is dropped.
    _server: ServerThread,
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
    async fn start() -> Fleet {
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

    fn actor(&self, i: usize) -> String {
        format!("{}/users/s{i}", self.state.bases[i])
    }

    fn set_blocked(&self, senders: impl IntoIterator<Item = usize>) {
        *self.state.blocked.lock().unwrap() = senders.into_iter().collect();
    }

    fn posts(&self) -> Vec<Post> {
        self.state.posts.lock().unwrap().clone()
    }

    /// POSTs `body` to `url` signed by sender `i` (draft-cavage, rsa-sha256, with Digest).
    async fn post(
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

// ---------------------------------------------------------------------------------------------
// Senders.

/// A Follow one sender posted, and what came of it.
#[derive(Clone, Debug)]
struct Sent {
    id: String,
    sender: usize,
    person: usize,
    /// The HTTP status, or the transport error (e.g. the connection was reset by the kill).
    outcome: Result<u16, String>,
}

impl Sent {
    fn ok(&self) -> bool {
        matches!(self.outcome, Ok(s) if (200..300).contains(&s))
    }
}

fn person_name(p: usize) -> String {
    format!("p{p:02}")
}

/// Posts Follow number `k` of sender `i` (to person `person`), through the person's inbox or,
/// for every fourth one, the shared inbox.
async fn send_follow(
    fleet: &Fleet,
    orchard: &str,
    client: &reqwest::Client,
    i: usize,
    k: usize,
    person: usize,
    tag: &str,
) -> Sent {
    let actor = fleet.actor(i);
    let id = format!("{actor}/follows/{tag}{k}");
    let person_iri = format!("{orchard}/people/{}", person_name(person));
    let body = serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": id,
        "type": "Follow",
        "actor": actor,
        "object": person_iri,
    }))
    .unwrap();
    let url = if k % 4 == 3 {
        format!("{orchard}/inbox")
    } else {
        format!("{person_iri}/inbox")
    };
    let outcome = fleet.post(client, i, &url, body).await;
    Sent {
        id,
        sender: i,
        person,
        outcome,
    }
}

/// Sender `i` posts Follows one after the other until `stop`; answers what it sent.
async fn sender_loop(
    fleet: Arc<Fleet>,
    orchard: String,
    i: usize,
    stop: Arc<AtomicBool>,
) -> Vec<Sent> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let mut sent = Vec::new();
    let mut k = 0;
    while !stop.load(Ordering::SeqCst) {
        let person = (i * 7 + k) % PEOPLE;
        let s = send_follow(&fleet, &orchard, &client, i, k, person, "load-").await;
        let refused = s.outcome.is_err();
        sent.push(s);
        k += 1;
        if refused {
            // The server is gone (killed): do not spin.
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    sent
}

// ---------------------------------------------------------------------------------------------
// Reading Orchard's state.

/// Every item of a collection, all pages, read with `token`.
async fn all_items(client: &reqwest::Client, url: &str, token: &str) -> Vec<Value> {
    let get = |u: String| {
        client
            .get(u)
            .bearer_auth(token)
            .header("Accept", "application/activity+json")
            .send()
    };
    let res = get(url.to_string()).await.expect("GET collection");
    assert_eq!(res.status(), 200, "GET {url}");
    let doc: Value = res.json().await.expect("json");
    let total = doc["totalItems"].as_u64().expect("totalItems") as usize;
    let mut items = Vec::new();
    for page in 1..=total.div_ceil(20).max(1) {
        let res = get(format!("{url}?page={page}")).await.expect("GET page");
        assert_eq!(res.status(), 200, "GET {url}?page={page}");
        let doc: Value = res.json().await.expect("json");
        items.extend(doc["orderedItems"].as_array().cloned().unwrap_or_default());
    }
    assert_eq!(items.len(), total, "{url}: pages hold totalItems items");
    items
}

async fn login(client: &reqwest::Client, url: &str, user: &str) -> String {
    let res = client
        .post(format!("{url}/api/v1/login"))
        .json(&json!({"username": user, "password": "correct horse"}))
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), 200, "login {user}");
    let body: Value = res.json().await.expect("json");
    body["token"].as_str().expect("token").to_string()
}

/// At most `n` items of a list, for messages.
fn some<T: std::fmt::Debug>(items: &[T], n: usize) -> String {
    if items.len() <= n {
        format!("{items:?}")
    } else {
        format!("{:?} and {} more", &items[..n], items.len() - n)
    }
}

// ---------------------------------------------------------------------------------------------
// The harness: one Orchard process, the fleet, what was sent, and the kills.

/// One `kill -9`.
struct Kill {
    at: Instant,
    wall: time::OffsetDateTime,
}

struct Crash {
    dir: tempfile::TempDir,
    fleet: Arc<Fleet>,
    server: OrchardProcess,
    client: reqwest::Client,
    people: usize,
    sent: Vec<Sent>,
    kills: Vec<Kill>,
}

/// What `verify` found.
struct Findings {
    problems: Vec<String>,
    /// Every 2xx-answered POST of an Accept, by Accept id.
    accepts_ok: HashMap<String, Vec<Post>>,
}

/// The two tests share the machine's two cores badly: run them one at a time.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

impl Crash {
    /// Starts the fleet and Orchard, and registers `people` people.
    async fn start(people: usize) -> Crash {
        let dir = tempfile::Builder::new()
            .prefix("orchard-crash-")
            .tempdir()
            .expect("tempdir");
        let fleet = Arc::new(Fleet::start().await);
        let server = OrchardProcess::start(dir.path(), SETTINGS).await;
        let client = common::client();
        eprintln!(
            "orchard pid {:?} at {}, data in {}",
            server.pid(),
            server.url,
            dir.path().display()
        );
        for p in 0..people {
            let res = client
                .post(format!("{}/api/v1/register", server.url))
                .json(&json!({"username": person_name(p), "password": "correct horse"}))
                .send()
                .await
                .expect("register");
            assert_eq!(res.status(), 201, "register {}", person_name(p));
        }
        Crash {
            dir,
            fleet,
            server,
            client,
            people,
            sent: Vec::new(),
            kills: Vec::new(),
        }
    }

    fn url(&self) -> String {
        self.server.url.clone()
    }

    /// `kill -9` the server; what the fleet receives from now on belongs to the next epoch.
    fn kill(&mut self) {
        let pid = self.server.pid();
        self.server.kill();
        self.kills.push(Kill {
            at: Instant::now(),
            wall: time::OffsetDateTime::now_utc(),
        });
        self.fleet
            .state
            .epoch
            .store(self.kills.len() as u8, Ordering::SeqCst);
        eprintln!(
            "killed pid {pid:?} with SIGKILL (kill {})",
            self.kills.len()
        );
    }

    /// "answered N ms before/after kill K" for a time.
    fn when(&self, at: Instant, epoch: u8) -> String {
        match self.kills.get(epoch as usize) {
            Some(k) => format!(
                "{} ms before kill {}",
                k.at.duration_since(at).as_millis(),
                epoch + 1
            ),
            None => match epoch
                .checked_sub(1)
                .and_then(|e| self.kills.get(e as usize))
            {
                Some(k) => format!(
                    "{} ms after kill {epoch}",
                    at.duration_since(k.at).as_millis()
                ),
                None => "before any kill".into(),
            },
        }
    }

    /// How long before kill `epoch + 1` the Orchard of that epoch logged `accept` delivered;
    /// None if it did not.
    fn logged_delivered(&self, accept: &str, epoch: u8) -> Option<Duration> {
        let kill = self.kills.get(epoch as usize)?;
        let log = self.server.log(u32::from(epoch) + 1);
        let suffix = format!("activity={accept}");
        let line = log
            .lines()
            .find(|l| l.contains("delivered inbox=") && l.ends_with(&suffix))?;
        let stamp = line.split_whitespace().next()?;
        let at = time::OffsetDateTime::parse(stamp, &time::format_description::well_known::Rfc3339)
            .ok()?;
        Some((kill.wall - at).try_into().unwrap_or(Duration::ZERO))
    }

    /// Checks, after the last restart, that every Follow answered 2xx is stored once, that every
    /// stored Follow was processed once (one follower entry, one Accept in the outbox, one
    /// Accept delivered) and that no Accept went out twice (beyond the in-flight rule).
    async fn verify(&self) -> Findings {
        let orchard = self.url();
        let client = &self.client;
        let fleet = &self.fleet;
        let by_id: HashMap<String, Sent> = self
            .sent
            .iter()
            .map(|s| (s.id.clone(), s.clone()))
            .collect();
        assert_eq!(by_id.len(), self.sent.len(), "Follow ids are unique");
        let ok: Vec<&Sent> = self.sent.iter().filter(|s| s.ok()).collect();
        let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
        for s in &self.sent {
            let key = match &s.outcome {
                Ok(code) => code.to_string(),
                Err(e) if e.contains("Connect") => "connection refused".into(),
                Err(_) => "no answer (transport error)".into(),
            };
            *outcomes.entry(key).or_default() += 1;
        }
        eprintln!("sent {} Follows: {outcomes:?}", self.sent.len());
        let mut problems: Vec<String> = Vec::new();

        // ---- Stored exactly once: every 2xx Follow is in its person's inbox, once.
        let mut tokens = Vec::new();
        for p in 0..self.people {
            tokens.push(login(client, &orchard, &person_name(p)).await);
        }
        let mut stored: HashMap<String, usize> = HashMap::new(); // Follow id -> person
        let mut twice_in_inbox = Vec::new();
        let mut foreign = Vec::new();
        for (p, token) in tokens.iter().enumerate() {
            let url = format!("{orchard}/people/{}/inbox", person_name(p));
            for item in all_items(client, &url, token).await {
                let id = item["id"].as_str().unwrap_or_default().to_string();
                match by_id.get(&id) {
                    Some(s) if s.person == p => {
                        if stored.insert(id.clone(), p).is_some() {
                            twice_in_inbox.push(id);
                        }
                    }
                    _ => foreign.push(format!("{id} in {}", person_name(p))),
                }
            }
        }
        let lost: Vec<&str> = ok
            .iter()
            .filter(|s| !stored.contains_key(&s.id))
            .map(|s| s.id.as_str())
            .collect();
        let stored_unanswered = self
            .sent
            .iter()
            .filter(|s| !s.ok() && stored.contains_key(&s.id))
            .count();
        eprintln!(
            "inboxes hold {} Follows: {} answered 2xx, {stored_unanswered} not answered 2xx but stored (allowed)",
            stored.len(),
            stored.len() - stored_unanswered,
        );
        if !lost.is_empty() {
            problems.push(format!(
                "LOST: {} Follows answered 2xx are in no inbox after the restart: {}",
                lost.len(),
                some(&lost, 10)
            ));
        }
        if !twice_in_inbox.is_empty() {
            problems.push(format!(
                "STORED TWICE: {} Follows appear twice in an inbox: {}",
                twice_in_inbox.len(),
                some(&twice_in_inbox, 10)
            ));
        }
        if !foreign.is_empty() {
            problems.push(format!(
                "inbox items nobody sent to that person: {}",
                some(&foreign, 10)
            ));
        }

        // ---- A follower entry for every 2xx Follow.
        for (p, token) in tokens.iter().enumerate() {
            let url = format!("{orchard}/people/{}/followers", person_name(p));
            let followers: HashSet<String> = all_items(client, &url, token)
                .await
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            let missing: BTreeSet<String> = ok
                .iter()
                .filter(|s| s.person == p)
                .map(|s| fleet.actor(s.sender))
                .filter(|a| !followers.contains(a))
                .collect();
            if !missing.is_empty() {
                problems.push(format!(
                    "{} lacks followers whose Follow was answered 2xx: {missing:?}",
                    person_name(p)
                ));
            }
        }

        // ---- Processed and delivered: every stored Follow's Accept reaches its sender (2xx).
        let delivered = |posts: &[Post], follow: &str| {
            posts
                .iter()
                .any(|p| p.kind == "Accept" && p.status == 202 && p.object_id == follow)
        };
        let deadline = Instant::now() + DELIVERY_WAIT;
        loop {
            let posts = fleet.posts();
            if stored.keys().all(|f| delivered(&posts, f)) || Instant::now() > deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        tokio::time::sleep(SETTLE).await;
        let posts = fleet.posts();
        let undelivered: Vec<&String> = stored.keys().filter(|f| !delivered(&posts, f)).collect();
        if !undelivered.is_empty() {
            problems.push(format!(
                "NOT PROCESSED OR NOT DELIVERED: {} stored Follows have no Accept at their sender after {DELIVERY_WAIT:?}: {}",
                undelivered.len(),
                some(&undelivered, 10)
            ));
        }

        // Accept ids by Follow, and 2xx POSTs by Accept id.
        let mut ids_by_follow: HashMap<&str, BTreeSet<&str>> = HashMap::new();
        let mut accepts_ok: HashMap<String, Vec<Post>> = HashMap::new();
        let mut misdirected = Vec::new();
        for p in posts.iter().filter(|p| p.kind == "Accept") {
            if p.status == 202 {
                ids_by_follow.entry(&p.object_id).or_default().insert(&p.id);
                accepts_ok.entry(p.id.clone()).or_default().push(p.clone());
            }
            match by_id.get(&p.object_id) {
                Some(s) if s.sender == p.sender => {}
                _ => misdirected.push(format!("{} (of {}) at s{}", p.id, p.object_id, p.sender)),
            }
        }
        if !misdirected.is_empty() {
            problems.push(format!(
                "Accepts at the wrong sender or of unknown Follows: {}",
                some(&misdirected, 10)
            ));
        }
        // A Follow answered by two different Accepts was processed twice.
        let mut reprocessed: Vec<String> = ids_by_follow
            .iter()
            .filter(|(_, ids)| ids.len() > 1)
            .map(|(f, ids)| {
                let answered = by_id.get(*f).is_some_and(Sent::ok);
                format!("{f} (answered 2xx: {answered}) -> Accepts {ids:?}")
            })
            .collect();
        reprocessed.sort();
        if !reprocessed.is_empty() {
            problems.push(format!(
                "PROCESSED TWICE: {} Follows were answered by more than one Accept (distinct ids) at their sender: {}",
                reprocessed.len(),
                some(&reprocessed, 10)
            ));
        }

        // One Accept POSTed (and answered 2xx) more than once. Within one run of the server
        // nothing may go twice. Across a kill, an Accept whose POST was in flight (answered by
        // the remote, the answer not yet seen by Orchard) is necessarily sent again: that is
        // at-least-once delivery, which receivers absorb by activity id. So is one Orchard saw
        // delivered less than COMPLETION_GRACE before the kill. One it saw delivered longer
        // before the kill, and sent again after it, is a lost completion.
        let mut redelivered: Vec<String> = Vec::new();
        let mut in_flight: Vec<String> = Vec::new();
        let mut ids: Vec<&String> = accepts_ok.keys().collect();
        ids.sort();
        for id in ids {
            let ps = &accepts_ok[id];
            if ps.len() < 2 {
                continue;
            }
            let mut tolerated = true;
            let mut story = Vec::new();
            for (j, p) in ps.iter().enumerate() {
                let mut s = format!("answered {}", self.when(p.at, p.epoch));
                if let Some(next) = ps.get(j + 1) {
                    let logged = self.logged_delivered(id, p.epoch);
                    s.push_str(&match logged {
                        Some(age) => format!(
                            " (Orchard logged it delivered {} ms before the kill)",
                            age.as_millis()
                        ),
                        None => " (Orchard never logged it delivered)".into(),
                    });
                    tolerated &=
                        next.epoch > p.epoch && logged.is_none_or(|age| age <= COMPLETION_GRACE);
                }
                story.push(s);
            }
            let text = format!("{id} POSTed {} times: {}", ps.len(), story.join(", "));
            if tolerated {
                in_flight.push(text);
            } else {
                redelivered.push(text);
            }
        }
        if !in_flight.is_empty() {
            eprintln!(
                "note: {} Accepts in flight at a kill were sent again after the restart (at-least-once, same id): {}",
                in_flight.len(),
                some(&in_flight, 10)
            );
        }
        if !redelivered.is_empty() {
            problems.push(format!(
                "DELIVERED TWICE: {} Accepts were POSTed and answered 2xx more than once: {}",
                redelivered.len(),
                some(&redelivered, 10)
            ));
        }

        // ---- Processed once, seen from Orchard: one Accept per Follow in the outboxes.
        let mut outbox_accepts: HashMap<String, Vec<String>> = HashMap::new();
        for (p, token) in tokens.iter().enumerate() {
            let url = format!("{orchard}/people/{}/outbox", person_name(p));
            for item in all_items(client, &url, token).await {
                if item["type"] == "Accept" {
                    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
                    outbox_accepts
                        .entry(text(&item["object"]["id"]))
                        .or_default()
                        .push(text(&item["id"]));
                }
            }
        }
        let mut outbox_twice: Vec<String> = outbox_accepts
            .iter()
            .filter(|(_, ids)| ids.len() > 1)
            .map(|(f, ids)| {
                let answered = by_id.get(f).is_some_and(Sent::ok);
                let fates: Vec<String> = ids
                    .iter()
                    .map(|a| {
                        let n = accepts_ok.get(a).map_or(0, Vec::len);
                        format!("{a} (delivered {n}x)")
                    })
                    .collect();
                format!(
                    "{f} (answered 2xx: {answered}) -> {} Accepts: {}",
                    ids.len(),
                    fates.join(", ")
                )
            })
            .collect();
        outbox_twice.sort();
        if !outbox_twice.is_empty() {
            problems.push(format!(
                "PROCESSED TWICE: {} Follows have more than one Accept in the outbox: {}",
                outbox_twice.len(),
                some(&outbox_twice, 10)
            ));
        }
        let outbox_missing: Vec<&String> = stored
            .keys()
            .filter(|f| !outbox_accepts.contains_key(*f))
            .collect();
        if !outbox_missing.is_empty() {
            problems.push(format!(
                "NOT PROCESSED: {} stored Follows have no Accept in the outbox: {}",
                outbox_missing.len(),
                some(&outbox_missing, 10)
            ));
        }

        let mut by_epoch: BTreeMap<(u8, u16), usize> = BTreeMap::new();
        for p in posts.iter().filter(|p| p.kind == "Accept") {
            *by_epoch.entry((p.epoch, p.status)).or_default() += 1;
        }
        eprintln!("Accept POSTs by (epoch = kills before, status): {by_epoch:?}");
        self.write_evidence(&stored, &posts);
        Findings {
            problems,
            accepts_ok,
        }
    }

    /// Writes what was sent and what the fleet received into the data directory.
    fn write_evidence(&self, stored: &HashMap<String, usize>, posts: &[Post]) {
        let mut sent = String::from("follow\tsender\tperson\toutcome\tstored\n");
        for s in &self.sent {
            sent.push_str(&format!(
                "{}\ts{}\t{}\t{:?}\t{}\n",
                s.id,
                s.sender,
                person_name(s.person),
                s.outcome,
                stored.contains_key(&s.id)
            ));
        }
        let mut received = String::from("epoch\twhen\tsender\tstatus\tkind\tid\tobject\n");
        for p in posts {
            received.push_str(&format!(
                "{}\t{}\ts{}\t{}\t{}\t{}\t{}\n",
                p.epoch,
                self.when(p.at, p.epoch),
                p.sender,
                p.status,
                p.kind,
                p.id,
                p.object_id
            ));
        }
        let _ = std::fs::write(self.dir.path().join("sent.tsv"), sent);
        let _ = std::fs::write(self.dir.path().join("remote-posts.tsv"), received);
    }

    /// Passes, or keeps the data directory and fails with every problem.
    fn finish(self, problems: Vec<String>) {
        let Crash { dir, server, .. } = self;
        drop(server);
        if problems.is_empty() {
            if std::env::var_os("ORCHARD_KEEP_CRASH_DIR").is_some() {
                eprintln!("data and logs kept in {}", dir.keep().display());
            }
            return;
        }
        let kept = dir.keep();
        panic!(
            "crash test failed ({} problems); data and logs kept in {} (orchard-N.log: boot N; \
             sent.tsv; remote-posts.tsv):\n- {}",
            problems.len(),
            kept.display(),
            problems.join("\n- ")
        );
    }
}

// ---------------------------------------------------------------------------------------------

/// The scenario: ten senders post as fast as they can; `kill -9` in the middle of it;
/// Accepts to three senders are queued (refused with 503) before the kill.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_under_load_loses_and_duplicates_nothing() {
    let _serial = SERIAL.lock().await;
    let mut t = Crash::start(PEOPLE).await;
    let orchard = t.url();

    // Phase 1: the blocked senders' Accepts are refused (503) and stay queued, with retries.
    let blocked: Vec<usize> = (0..BLOCKED).collect();
    t.fleet.set_blocked(blocked.clone());
    for &i in &blocked {
        for k in 0..2 {
            let person = (i + k * 10) % PEOPLE;
            let s = send_follow(&t.fleet, &orchard, &t.client, i, k, person, "queued-").await;
            assert_eq!(s.outcome, Ok(202), "queued Follow {}", s.id);
            t.sent.push(s);
        }
    }
    let queued_follows: Vec<String> = t.sent.iter().map(|s| s.id.clone()).collect();
    let attempted = common::eventually(15, || async {
        let posts = t.fleet.posts();
        queued_follows
            .iter()
            .all(|f| posts.iter().any(|p| &p.object_id == f && p.status == 503))
    })
    .await;
    assert!(
        attempted,
        "each queued Follow's Accept was attempted (and refused) before the kill"
    );
    // Well past sled's periodic flush (500 ms): these jobs are on disk at the kill.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let queued_accepts: BTreeMap<String, String> = t
        .fleet
        .posts()
        .iter()
        .filter(|p| p.status == 503 && queued_follows.contains(&p.object_id))
        .map(|p| (p.id.clone(), p.object_id.clone()))
        .collect();
    assert_eq!(
        queued_accepts.len(),
        queued_follows.len(),
        "one Accept per queued Follow: {queued_accepts:?}"
    );

    // Phase 2: ten senders post as fast as they can; kill -9 in the middle of it.
    let stop = Arc::new(AtomicBool::new(false));
    let tasks: Vec<_> = (0..SENDERS)
        .map(|i| {
            tokio::spawn(sender_loop(
                t.fleet.clone(),
                orchard.clone(),
                i,
                stop.clone(),
            ))
        })
        .collect();
    tokio::time::sleep(LOAD).await;
    t.kill();
    stop.store(true, Ordering::SeqCst);
    for task in tasks {
        t.sent.extend(task.await.expect("sender"));
    }

    // Restart on the same data directory and ports; then let the blocked senders accept.
    t.server.restart().await;
    t.fleet.set_blocked([]);
    let answered = t.sent.iter().filter(|s| s.ok()).count();
    assert!(
        answered >= 50,
        "the load was real: only {answered} Follows answered 2xx"
    );

    let Findings {
        mut problems,
        accepts_ok,
    } = t.verify().await;

    // The deliveries queued (and refused) well before the kill went out after it, once.
    for (accept, follow) in &queued_accepts {
        let posts = accepts_ok
            .get(accept)
            .map(Vec::as_slice)
            .unwrap_or_default();
        if posts.len() != 1 || posts.iter().any(|p| p.epoch != 1) {
            problems.push(format!(
                "QUEUED DELIVERY: Accept {accept} (of {follow}), queued before the kill, was delivered {} times after the restart (expected once)",
                posts.len()
            ));
        }
    }
    t.finish(problems);
}

/// Kills the server right after Accepts went out, before sled's periodic flush (500 ms), a few
/// times in a row: what was answered 2xx must survive, and nothing may be processed twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_right_after_accepts_went_out() {
    let _serial = SERIAL.lock().await;
    const ROUNDS: usize = 3;
    const FOLLOWED: usize = 2;
    let mut t = Crash::start(FOLLOWED).await;
    for round in 0..ROUNDS {
        let orchard = t.url();
        let fleet = t.fleet.clone();
        let client = t.client.clone();
        let tag = format!("quick{round}-");
        let sends = (0..SENDERS).map(|i| {
            let (fleet, orchard, client, tag) =
                (fleet.clone(), orchard.clone(), client.clone(), tag.clone());
            async move { send_follow(&fleet, &orchard, &client, i, 0, i % FOLLOWED, &tag).await }
        });
        let sent = futures_util::future::join_all(sends).await;
        for s in &sent {
            assert_eq!(s.outcome, Ok(202), "Follow {}", s.id);
        }
        let ids: HashSet<String> = sent.iter().map(|s| s.id.clone()).collect();
        t.sent.extend(sent);
        let went_out = common::eventually(10, || async {
            fleet
                .posts()
                .iter()
                .any(|p| p.status == 202 && ids.contains(&p.object_id))
        })
        .await;
        assert!(went_out, "an Accept of round {round} went out");
        t.kill();
        t.server.restart().await;
    }
    let Findings { problems, .. } = t.verify().await;
    t.finish(problems);
}
