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
    let a = Instance::start("a", "[http]\nbody_timeout_secs = 2\n").await;
    let addr: std::net::SocketAddr = ([127, 0, 0, 1], a.port).into();
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

/// Opens `n` connections that each send a POST's head and one byte of its body, then stall.
async fn slow_bodies(addr: std::net::SocketAddr, n: usize) -> Vec<tokio::net::TcpStream> {
    use tokio::io::AsyncWriteExt;
    let mut open = Vec::new();
    for _ in 0..n {
        let Ok(Ok(mut conn)) =
            tokio::time::timeout(Duration::from_secs(5), tokio::net::TcpStream::connect(addr))
                .await
        else {
            continue;
        };
        let head = format!(
            "POST /api/v1/login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{"
        );
        if conn.write_all(head.as_bytes()).await.is_ok() {
            open.push(conn);
        }
    }
    open
}

/// Whether the SSH server at `addr` sends its version line within 10 s.
async fn ssh_answers(addr: std::net::SocketAddr) -> bool {
    use tokio::io::AsyncReadExt;
    let attempt = async {
        let mut conn = tokio::net::TcpStream::connect(addr).await.ok()?;
        let mut buf = [0u8; 8];
        conn.read_exact(&mut buf).await.ok()?;
        Some(buf.starts_with(b"SSH-2.0"))
    };
    matches!(
        tokio::time::timeout(Duration::from_secs(10), attempt).await,
        Ok(Some(true))
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundreds_of_slow_bodies_do_not_lock_out_http_or_ssh() {
    // The server runs as its own process with an open-file limit of 512 (soft and hard), so
    // that 700 stalled connections would exhaust it.
    let dir = tempfile::tempdir().unwrap();
    let (port, ssh_port) = {
        let h = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let s = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        (
            h.local_addr().unwrap().port(),
            s.local_addr().unwrap().port(),
        )
    };
    let url = format!("http://127.0.0.1:{port}");
    let text = common::settings_text(&url, port, ssh_port, dir.path(), "")
        .replace("[http]\n", "[http]\nbody_timeout_secs = 5\n");
    let settings = dir.path().join("settings.toml");
    std::fs::write(&settings, text).unwrap();
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -n 512 && exec \"$0\" serve --settings \"$1\"")
        .arg(env!("CARGO_BIN_EXE_orchard"))
        .arg(&settings)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let http: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let ssh: std::net::SocketAddr = format!("127.0.0.1:{ssh_port}").parse().unwrap();
    let up = common::eventually(60, || async {
        client()
            .get(format!("{url}/people/nobody"))
            .send()
            .await
            .is_ok()
    })
    .await;
    assert!(up, "the server starts");
    let stalled = slow_bodies(http, 700).await;
    assert!(
        stalled.len() > 600,
        "the slow clients connected: {}",
        stalled.len()
    );
    let ssh_ok = ssh_answers(ssh).await;
    let get = tokio::time::timeout(
        Duration::from_secs(90),
        client().get(format!("{url}/.well-known/nodeinfo")).send(),
    )
    .await;
    let _ = child.kill();
    let _ = child.wait();
    drop(stalled);
    assert!(ssh_ok, "SSH answers during the flood");
    let get = get.expect("a GET is answered during the flood");
    assert!(
        get.is_ok_and(|r| r.status().is_success()),
        "the GET is served"
    );
}
