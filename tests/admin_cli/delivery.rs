//! `delivery list|retry|drop` on the jobs for a remote host whose inbox fails (503): listed per
//! host with the failure, made due now (the remote sees another attempt at once, though the
//! backoff is an hour), on the stopped instance's stored queue too, and dropped for good.

use crate::common::remote::FakeRemote;
use crate::common::{eventually, Instance};
use crate::run::admin;
use serde_json::{json, Value};

const SLOW_RETRY: &str = "[federation]\nallow_private_addresses = true\n\
    delivery_retry_base_secs = 3600\ndelivery_max_backoff_secs = 7200\n";

async fn hosts(a: &Instance) -> Vec<Value> {
    let out = admin(a, &["delivery", "list", "--json"], None).await.ok();
    serde_json::from_str::<Vec<Value>>(&out).expect("JSON")
}

/// Waits until the remote has received `n` POSTs.
async fn received(remote: &FakeRemote, n: usize) {
    let got = eventually(15, || async { remote.received().len() >= n }).await;
    assert!(
        got,
        "{n} POSTs expected, {} received",
        remote.received().len()
    );
}

#[tokio::test]
async fn the_delivery_queue_per_host() {
    let remote = FakeRemote::start();
    remote.set_inbox_status(503);
    let host = remote.url.trim_start_matches("http://").to_string();
    let mut a = Instance::start("a", SLOW_RETRY).await;
    a.register("alice").await;
    let alice = a.login("alice").await;
    let follow = json!({"type": "Follow", "object": remote.actor("mallory")});
    assert_eq!(a.post_outbox("alice", &alice, &follow).await.0, 201);
    received(&remote, 1).await;
    let failing = eventually(10, || async {
        hosts(&a).await.first().is_some_and(|h| h["failing"] == 1)
    })
    .await;
    assert!(failing, "the failed job is listed: {:?}", hosts(&a).await);
    let listed = hosts(&a).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["host"], host.as_str());
    assert_eq!(listed[0]["pending"], 1);
    assert!(
        listed[0]["last_error"].as_str().unwrap().contains("503"),
        "{listed:?}"
    );
    let table = admin(&a, &["delivery", "list"], None).await.ok();
    assert!(
        table.starts_with("HOST") && table.contains(&host),
        "{table}"
    );

    let out = admin(&a, &["delivery", "retry", &host], None).await.ok();
    assert!(out.contains("1 delivery job(s)"), "{out}");
    received(&remote, 2).await;
    refusals(&a, &host).await;

    // The stopped instance's stored queue: listed, and made due now for the next start.
    a.stop().await;
    assert_eq!(hosts(&a).await[0]["pending"], 1);
    admin(&a, &["delivery", "retry", "127.0.0.1"], None)
        .await
        .ok();
    a.restart().await;
    received(&remote, 3).await;

    dropped(&a, &remote, &host).await;
}

/// A bad host and a host without jobs change nothing.
async fn refusals(a: &Instance, host: &str) {
    admin(a, &["delivery", "retry", "no/host"], None)
        .await
        .fails(1, "is not a host name");
    admin(a, &["delivery", "drop", "other.example"], None)
        .await
        .fails(1, "no delivery jobs are queued for other.example");
    assert_eq!(hosts(a).await[0]["host"], host);
}

/// Dropping the host's jobs: none listed, none attempted again.
async fn dropped(a: &Instance, remote: &FakeRemote, host: &str) {
    let ok = eventually(10, || async {
        hosts(a).await.first().is_some_and(|h| h["failing"] == 1)
    })
    .await;
    assert!(ok, "rescheduled after the third attempt");
    let out = admin(a, &["delivery", "drop", host], None).await.ok();
    assert!(out.contains("dropped 1"), "{out}");
    assert!(hosts(a).await.is_empty());
    let table = admin(a, &["delivery", "list"], None).await.ok();
    assert!(table.contains("no deliveries are queued"), "{table}");
    admin(a, &["delivery", "retry", host], None)
        .await
        .fails(1, "no delivery jobs");
    let before = remote.received().len();
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_eq!(remote.received().len(), before);
}
