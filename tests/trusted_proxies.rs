//! `[http] trusted_proxies`, over real HTTP: behind a trusted reverse proxy the per-address
//! login limit counts the address the proxy forwarded for (so one client's failures do not lock
//! out everyone behind the proxy), and from any other peer `X-Forwarded-For` is ignored (so a
//! client cannot pick a fresh address per request to escape the limit).

mod common;

use common::{client_from, Instance};
use serde_json::{json, Value};

/// A login attempt for alice with `password`, sent as `forwarded_for` (if any): the status.
async fn login(c: &reqwest::Client, a: &Instance, password: &str, forwarded_for: &str) -> u16 {
    let body: Value = json!({"username": "alice", "password": password});
    c.post(a.at("/api/v1/login"))
        .header("X-Forwarded-For", forwarded_for)
        .json(&body)
        .send()
        .await
        .expect("login")
        .status()
        .as_u16()
}

const LIMITS: &str =
    "login_attempts_per_minute_per_address = 3\nlogin_attempts_per_minute_per_username = 100\n";

#[tokio::test]
async fn a_trusted_proxy_names_the_client_and_anyone_else_cannot() {
    // 127.0.0.9 plays the reverse proxy; 127.0.0.1 (the test's default) is any other peer.
    let a = Instance::start(
        "a",
        &format!("[accounts]\n{LIMITS}[http]\ntrusted_proxies = [\"127.0.0.9\"]\n"),
    )
    .await;
    a.register("alice").await;
    let proxy = client_from("127.0.0.9");
    for _ in 0..3 {
        assert_eq!(login(&proxy, &a, "wrong", "198.51.100.1").await, 401);
    }
    assert_eq!(login(&proxy, &a, "wrong", "198.51.100.1").await, 429);
    // Another client behind the same proxy is not locked out.
    assert_eq!(
        login(&proxy, &a, "correct horse", "198.51.100.2").await,
        200
    );
    // An entry the client wrote itself (left of what the proxy appended) does not count.
    assert_eq!(
        login(&proxy, &a, "wrong", "203.0.113.7, 198.51.100.1").await,
        429
    );

    // A peer that is not a trusted proxy is its own address, whatever it forwards.
    let direct = client_from("127.0.0.10");
    for n in 0..3 {
        let spoof = format!("192.0.2.{n}");
        assert_eq!(login(&direct, &a, "wrong", &spoof).await, 401);
    }
    assert_eq!(login(&direct, &a, "wrong", "192.0.2.99").await, 429);
}

#[tokio::test]
async fn without_trusted_proxies_the_header_is_ignored() {
    let a = Instance::start("a", &format!("[accounts]\n{LIMITS}")).await;
    a.register("alice").await;
    let c = client_from("127.0.0.11");
    for n in 0..3 {
        assert_eq!(login(&c, &a, "wrong", &format!("192.0.2.{n}")).await, 401);
    }
    assert_eq!(login(&c, &a, "wrong", "192.0.2.50").await, 429);
}
