//! Delivery: durable to an instance that was down, no retry of a permanent failure (410), signed
//! deliveries, and one POST to a shared inbox for the followers behind it.

use crate::common;
use crate::common::remote::FakeRemote;
use crate::common::{eventually, Instance};
use crate::setup::{follows, FAST_RETRY, PRIVATE_OK};
use serde_json::json;

#[tokio::test]
async fn delivery_to_a_down_instance_arrives_after_both_restart() {
    let mut a = Instance::start("a", FAST_RETRY).await;
    let mut b = Instance::start("b", FAST_RETRY).await;
    let alice = a.register("alice").await;
    let bob = b.register("bob").await;
    let token = a.login("alice").await;
    b.stop().await;

    let (s, _) = a
        .post_outbox("alice", &token, &json!({"type": "Follow", "object": bob}))
        .await;
    assert_eq!(s, 201);
    // A few attempts fail while B is down; then A restarts too, with the job still queued.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    a.restart().await;
    b.restart().await;
    let bob_followers = format!("{bob}/followers");
    assert!(
        eventually(20, || follows(&b, &bob_followers, &alice)).await,
        "the Follow queued while B was down arrived"
    );
    let following = format!("{alice}/following");
    assert!(eventually(20, || follows(&a, &following, &bob)).await);
    assert_eq!(b.total(&bob_followers, None).await, 1, "delivered once");
}

#[tokio::test]
async fn a_410_answer_is_not_retried() {
    let remote = FakeRemote::start();
    remote.set_inbox_status(410);
    let a = Instance::start("a", FAST_RETRY).await;
    a.register("alice").await;
    let token = a.login("alice").await;
    let (s, _) = a
        .post_outbox(
            "alice",
            &token,
            &json!({"type": "Follow", "object": remote.actor("mallory")}),
        )
        .await;
    assert_eq!(s, 201);
    assert!(eventually(10, || async { !remote.received().is_empty() }).await);
    // With retries every ~1-2 s, several would have happened by now.
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    assert_eq!(remote.received().len(), 1, "a 410 is a permanent failure");

    // A 503 is retried.
    remote.set_inbox_status(503);
    a.post_outbox(
        "alice",
        &token,
        &json!({"type": "Follow", "object": remote.actor("eve")}),
    )
    .await;
    assert!(
        eventually(15, || async { remote.received().len() >= 3 }).await,
        "retried after 503"
    );
}

#[tokio::test]
async fn our_deliveries_are_signed_and_accepted_follows_are_answered() {
    let remote = FakeRemote::start();
    let a = Instance::start("a", PRIVATE_OK).await;
    let bob = a.register("bob").await;
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/1", remote.actor("mallory")),
        "type": "Follow",
        "actor": remote.actor("mallory"),
        "object": bob,
    });
    let body = serde_json::to_vec(&follow).unwrap();
    let (s, res) = remote
        .post(
            &format!("{bob}/inbox"),
            &body,
            &common::remote::Sign::by("mallory"),
        )
        .await;
    assert_eq!(s, 202, "{res}");
    assert!(eventually(10, || async { !remote.received().is_empty() }).await);
    let (path, headers, accept) = remote.received().remove(0);
    assert_eq!(path, "/users/mallory/inbox");
    assert_eq!(accept["type"], "Accept");
    assert_eq!(accept["actor"], bob);
    assert_eq!(accept["object"]["id"], follow["id"]);
    // The Accept is signed by bob's key over (request-target) host date digest.
    let header_list: Vec<(String, String)> = headers.into_iter().collect();
    let pending = orchard::federation::signature::prepare_verify(
        "POST",
        &path,
        &header_list,
        true,
        std::time::Duration::from_secs(300),
    )
    .unwrap();
    assert_eq!(pending.key_id().as_str(), format!("{bob}#main-key"));
    let (_, doc) = a.get_ap(&bob).await;
    assert!(pending.verify(doc["publicKey"]["publicKeyPem"].as_str().unwrap()));
    assert!(follows(&a, &format!("{bob}/followers"), &remote.actor("mallory")).await);
}

#[tokio::test]
async fn followers_behind_one_shared_inbox_get_one_post() {
    let remote = FakeRemote::start();
    let a = Instance::start("a", PRIVATE_OK).await;
    let bob = a.register("bob").await;
    let token = a.login("bob").await;
    for (n, name) in ["mallory", "eve"].into_iter().enumerate() {
        let follow = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}/activities/{n}", remote.actor(name)),
            "type": "Follow",
            "actor": remote.actor(name),
            "object": bob,
        });
        let (s, _) = remote
            .post(
                &format!("{bob}/inbox"),
                &serde_json::to_vec(&follow).unwrap(),
                &common::remote::Sign::by(name),
            )
            .await;
        assert_eq!(s, 202);
    }
    // Each Follow is answered at the follower's own inbox.
    assert!(eventually(10, || async { remote.received().len() == 2 }).await);
    let (s, _) = a
        .post_outbox(
            "bob",
            &token,
            &json!({
                "type": "Create",
                "to": [format!("{bob}/followers")],
                "object": {"type": "Note", "content": "hello followers"},
            }),
        )
        .await;
    assert_eq!(s, 201);
    assert!(eventually(10, || async { remote.received().len() >= 3 }).await);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let received = remote.received();
    assert_eq!(received.len(), 3, "one POST for both followers");
    assert_eq!(received[2].0, "/inbox");
    assert_eq!(received[2].2["type"], "Create");
}
