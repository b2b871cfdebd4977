//! Login and registration are limited per client address and per username (429 with
//! Retry-After), and a flood of parallel logins neither grows memory without bound nor locks a
//! legitimate person out.

use crate::calls::{guess_until_429, post, rss_kib};
use crate::common::{client, client_from, Instance};
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn login_bursts_get_429_while_other_clients_and_names_still_log_in() {
    let a = Instance::start(
        "a",
        "[accounts]\nlogin_attempts_per_minute_per_address = 5\n\
         login_attempts_per_minute_per_username = 8\nregistrations_per_hour_per_address = 3\n",
    )
    .await;
    for name in ["alice", "bob"] {
        a.register(name).await;
    }
    let login = a.at("/api/v1/login");
    let wrong = |u: &str| json!({"username": u, "password": "wrong"});
    let right = |u: &str| json!({"username": u, "password": "correct horse"});
    let x = client_from("127.0.0.2");
    for _ in 0..5 {
        assert_eq!(post(&x, &login, wrong("alice")).await.0, 401);
    }
    let (s, retry, body) = post(&x, &login, wrong("alice")).await;
    assert_eq!(s, 429, "{body}");
    assert!(retry.unwrap().parse::<u64>().unwrap() >= 1);
    assert!(body["error"].as_str().unwrap().contains("127.0.0.2"));
    assert_eq!(post(&x, &login, right("bob")).await.0, 429, "per address");
    // Another client logs in; guessing alice's password from more addresses hits her limit.
    let y = client_from("127.0.0.3");
    assert_eq!(post(&y, &login, right("bob")).await.0, 200);
    for _ in 0..3 {
        assert_eq!(post(&y, &login, wrong("alice")).await.0, 401);
    }
    let (s, retry, body) = post(&client_from("127.0.0.4"), &login, wrong("alice")).await;
    assert_eq!(s, 429, "per username: {body}");
    assert!(retry.is_some());
    assert_eq!(
        post(&y, &login, right("bob")).await.0,
        200,
        "bob is unaffected"
    );

    // Registrations: three per address, then 429; another address still registers.
    let reg = a.at("/api/v1/register");
    let z = client_from("127.0.0.5");
    for n in 0..3 {
        let (s, _, body) = post(&z, &reg, right(&format!("new{n}"))).await;
        assert_eq!(s, 201, "{body}");
    }
    let (s, retry, _) = post(&z, &reg, right("new3")).await;
    assert_eq!((s, retry.is_some()), (429, true));
    assert!(
        a.get_ap(&a.at("/people/new3")).await.0 == 404,
        "nothing created"
    );
    assert_eq!(
        post(&client_from("127.0.0.6"), &reg, right("new3")).await.0,
        201
    );
}

/// Sends wrong passwords for `username` from `c` until one answers 429 (at most `max`):
/// answers the 429's error text.
#[tokio::test]
async fn guessing_from_one_address_cannot_lock_the_owner_out_and_distributed_guessing_is_limited() {
    let a = Instance::start(
        "a",
        "[accounts]\nlogin_attempts_per_minute_per_address = 100\n\
         login_attempts_per_minute_per_username_per_address = 3\n\
         login_attempts_per_minute_per_username = 6\n",
    )
    .await;
    a.register("alice").await;
    let login = a.at("/api/v1/login");
    let right = json!({"username": "alice", "password": "correct horse"});
    let home = client_from("127.0.0.10");
    assert_eq!(post(&home, &login, right.clone()).await.0, 200);

    // One attacker address: its own (alice, address) bucket runs out; alice still gets in
    // with her password from an address she never used.
    let attacker = client_from("127.0.0.2");
    let e = guess_until_429(&attacker, &login, "alice", 20).await;
    assert!(e.contains("127.0.0.2") && e.contains("alice"), "{e}");
    let (s, _, body) = post(&client_from("127.0.0.3"), &login, right.clone()).await;
    assert_eq!(s, 200, "alice is not locked out by one address: {body}");
    assert_eq!(post(&attacker, &login, right.clone()).await.0, 429);

    // Many attacker addresses: alice's all-addresses bucket (6) runs out.
    let e = guess_until_429(&client_from("127.0.0.4"), &login, "alice", 20).await;
    assert!(e.contains("127.0.0.4"), "three from .4 fit: {e}");
    let e = guess_until_429(&client_from("127.0.0.5"), &login, "alice", 20).await;
    assert!(e.contains("anyone for the username alice"), "{e}");
    let (s, _, _) = post(&client_from("127.0.0.6"), &login, right.clone()).await;
    assert_eq!(s, 429, "a new address waits for the username's limit");
    // ... but the addresses alice logged in from are exempt from it.
    for home in [home, client_from("127.0.0.3")] {
        let (s, _, body) = post(&home, &login, right.clone()).await;
        assert_eq!(s, 200, "a known address logs in: {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn registrations_do_not_take_the_login_hash_slots() {
    let a = Instance::start(
        "a",
        "[accounts]\npassword_hash_concurrency = 1\npassword_hash_queue = 0\n\
         registration_hash_concurrency = 1\nregistrations_per_hour_per_address = 0\n\
         login_attempts_per_minute_per_address = 0\n\
         login_attempts_per_minute_per_username = 0\n\
         login_attempts_per_minute_per_username_per_address = 0\n",
    )
    .await;
    a.register("bob").await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut signups = tokio::task::JoinSet::new();
    for t in 0..4 {
        let (url, stop) = (a.at("/api/v1/register"), stop.clone());
        signups.spawn(async move {
            let (c, mut created) = (client(), 0);
            for n in 0.. {
                if stop.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                let body = json!({"username": format!("r{t}x{n}"), "password": "pw"});
                match post(&c, &url, body).await {
                    (201, _, _) => created += 1,
                    (429, _, _) => tokio::time::sleep(Duration::from_millis(5)).await,
                    (s, _, body) => panic!("register answered {s}: {body}"),
                }
            }
            created
        });
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    for _ in 0..10 {
        let (s, body) = a.try_login("bob", "correct horse").await;
        assert_eq!(s, 200, "sign-ups keep a login out: {body}");
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut created = 0;
    while let Some(n) = signups.join_next().await {
        created += n.unwrap();
    }
    assert!(created > 0, "registrations went on meanwhile");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_of_parallel_logins_is_bounded_and_a_real_login_gets_through() {
    let a = Instance::start(
        "a",
        "[accounts]\nlogin_attempts_per_minute_per_address = 0\n\
         login_attempts_per_minute_per_username = 0\n",
    )
    .await;
    a.register("alice").await;
    a.register("bob").await;
    let login = a.at("/api/v1/login");
    let before = rss_kib();
    let mut flood = flood(&login);
    let (bob, mut peak) = bob_logs_in(&login, before).await;
    assert!(bob["token"].is_string());
    let mut counts = (0, 0);
    while let Some(r) = flood.join_next().await {
        peak = peak.max(rss_kib());
        for s in r.unwrap() {
            match s {
                401 => counts.0 += 1,
                429 => counts.1 += 1,
                other => panic!("flood answered {other}"),
            }
        }
    }
    assert!(
        counts.0 > 0,
        "some wrong passwords were checked: {counts:?}"
    );
    let growth_mib = (peak.saturating_sub(before)) / 1024;
    assert!(
        growth_mib < 1024,
        "RSS grew {growth_mib} MiB during the flood"
    );
}

/// 64 clients, each POSTing 8 wrong logins (for alice or a name nobody has); each answers its
/// statuses.
fn flood(login: &str) -> tokio::task::JoinSet<Vec<u16>> {
    let mut flood = tokio::task::JoinSet::new();
    for i in 0..64 {
        let (c, url) = (client(), login.to_string());
        flood.spawn(async move {
            let mut statuses = Vec::new();
            for _ in 0..8 {
                let body = json!({"username": if i % 2 == 0 { "alice" } else { "nobody" },
                                  "password": "wrong"});
                statuses.push(post(&c, &url, body).await.0);
            }
            statuses
        });
    }
    flood
}

/// During the flood, bob logs in (retrying after Retry-After when all slots are busy). Answers
/// the login's body and the peak RSS seen meanwhile (from `before`).
async fn bob_logs_in(login: &str, before: u64) -> (serde_json::Value, u64) {
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut peak = before;
    let bob = loop {
        peak = peak.max(rss_kib());
        let (s, retry, body) = post(
            &client(),
            login,
            json!({"username": "bob", "password": "correct horse"}),
        )
        .await;
        if s == 200 {
            break body;
        }
        assert_eq!(s, 429, "{body}");
        assert!(Instant::now() < deadline, "bob never got in");
        let wait = retry.unwrap().parse::<u64>().unwrap();
        tokio::time::sleep(Duration::from_secs(wait)).await;
    };
    (bob, peak)
}
