//! Resource limits (issue 13, items 15 and 18): bounded remote-actor resolution per activity
//! with a negative cache, connection caps and body read deadlines.

mod common;

use common::fake_server::ServerThread;
use common::{client, Instance};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A remote host whose every actor fetch answers 503, counting the fetches.
fn dead_host() -> (ServerThread, String, Arc<AtomicUsize>) {
    use actix_web::{web, App, HttpResponse, HttpServer};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let fetches = Arc::new(AtomicUsize::new(0));
    let counter = fetches.clone();
    let server = ServerThread::spawn("dead-host", move || {
        HttpServer::new(move || {
            let counter = counter.clone();
            App::new().default_service(web::to(move || {
                counter.fetch_add(1, Ordering::SeqCst);
                async { HttpResponse::ServiceUnavailable().finish() }
            }))
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .unwrap()
        .run()
    });
    (server, url, fetches)
}

/// Waits until `count` has not changed for `quiet`, at most `secs`.
async fn settled(count: &AtomicUsize, quiet: Duration, secs: u64) -> usize {
    let deadline = std::time::Instant::now() + Duration::from_secs(secs);
    let mut last = count.load(Ordering::SeqCst);
    loop {
        tokio::time::sleep(quiet).await;
        let now = count.load(Ordering::SeqCst);
        if now == last || std::time::Instant::now() > deadline {
            return now;
        }
        last = now;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_activity_to_many_unknown_actors_makes_bounded_fetches_and_failures_are_cached() {
    let (_dead, dead_url, fetches) = dead_host();
    let a = Instance::start(
        "a",
        "[federation]\nallow_private_addresses = true\ndelivery_retry_base_secs = 1\ndelivery_max_backoff_secs = 2\nmax_fetches_per_host_per_activity = 20\n",
    )
    .await;
    a.register("alice").await;
    let token = a.login("alice").await;
    let to: Vec<String> = (0..300).map(|i| format!("{dead_url}/users/u{i}")).collect();
    let create = json!({
        "type": "Create", "to": to,
        "object": {"type": "Note", "content": "hello, nobody"}
    });
    let (status, _) = a.post_outbox("alice", &token, &create).await;
    assert_eq!(status, 201);
    assert!(
        common::eventually(30, || async { fetches.load(Ordering::SeqCst) > 0 }).await,
        "the recipients are resolved"
    );
    // Routing and the retries of the unresolved jobs (1-2 s apart) have had their chance.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let first = settled(&fetches, Duration::from_secs(3), 60).await;
    assert!(
        first <= 20,
        "300 unknown actors on one host: at most the per-host bound of fetches, made {first}"
    );
    // The same dead actors again: every failure is remembered, nothing is fetched.
    let (status, _) = a.post_outbox("alice", &token, &create).await;
    assert_eq!(status, 201);
    tokio::time::sleep(Duration::from_secs(5)).await;
    let second = settled(&fetches, Duration::from_secs(3), 60).await;
    assert_eq!(second, first, "no fetch while the failures are cached");
    // The instance still serves.
    let res = client().get(a.at("/people/alice")).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

/// POSTs to `path` a body announced as 200 bytes and sent one byte every 300 ms, for at most
/// `secs`; answers what the server sent back (empty if nothing) and whether it closed.
async fn dribble(addr: std::net::SocketAddr, path: &str, secs: u64) -> (String, bool) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{{"
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    let (mut read, mut write) = conn.into_split();
    let writer = tokio::spawn(async move {
        for _ in 0..(secs * 1000 / 300) {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if write.write_all(b" ").await.is_err() {
                return;
            }
        }
    });
    let mut answer = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(secs), read.read_to_end(&mut answer))
        .await
        .is_ok();
    writer.abort();
    (String::from_utf8_lossy(&answer).to_string(), closed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dribbled_register_or_login_body_is_cut_at_the_deadline() {
    let (_dir, server) = start_with_http("body_timeout_secs = 2\n").await;
    let addr = server.http_addr;
    for path in ["/api/v1/login", "/api/v1/register"] {
        let started = std::time::Instant::now();
        let (answer, closed) = dribble(addr, path, 20).await;
        assert!(answer.starts_with("HTTP/1.1 408"), "{path}: {answer:?}");
        assert!(answer.contains("body_timeout_secs"), "{path}: {answer}");
        assert!(closed, "{path}: the connection is closed");
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "{path}: cut at the deadline"
        );
    }
    // A body sent at once is not affected.
    let res = client()
        .post(format!("http://{addr}/api/v1/register"))
        .json(&json!({"username": "alice", "password": "correct horse"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
}

/// An instance whose `[http]` section has `http` added (the harness's extra settings can only
/// add whole sections).
async fn start_with_http(http: &str) -> (tempfile::TempDir, orchard::RunningServer) {
    let dir = tempfile::tempdir().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let ssh = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}");
    let text = common::settings_text(&url, port, ssh.local_addr().unwrap().port(), dir.path(), "")
        .replace("[http]\n", &format!("[http]\n{http}"));
    let settings = orchard::Settings::parse(&text, "test.toml").unwrap();
    let server = tokio::task::spawn_blocking(move || {
        orchard::RunningServer::spawn(
            settings,
            orchard::Listeners {
                http: listener,
                ssh,
            },
        )
    })
    .await
    .unwrap()
    .unwrap();
    (dir, server)
}
