//! Federation over real HTTP between real instances: Follow, Accept and Undo across instances and
//! locally, C2S outbox rules, durable delivery to an instance that was down, and no retry of a
//! permanent failure.

mod common;

use common::remote::FakeRemote;
use common::{eventually, Instance};
use serde_json::json;

const FAST_RETRY: &str = "[federation]\nallow_private_addresses = true\ndelivery_retry_base_secs = 1\ndelivery_max_backoff_secs = 2\n";
const PRIVATE_OK: &str = "[federation]\nallow_private_addresses = true\n";

async fn follows(inst: &Instance, collection: &str, who: &str) -> bool {
    inst.collection(collection, None)
        .await
        .iter()
        .any(|v| v.as_str() == Some(who))
}

#[tokio::test]
async fn follow_accept_and_undo_between_two_instances() {
    let a = Instance::start("a", PRIVATE_OK).await;
    let b = Instance::start("b", PRIVATE_OK).await;
    let alice = a.register("alice").await;
    let bob = b.register("bob").await;
    let token = a.login("alice").await;

    let (s, body) = a
        .post_outbox("alice", &token, &json!({"type": "Follow", "object": bob}))
        .await;
    assert_eq!(s, 201, "{body}");
    let follow_id = body["id"].as_str().unwrap().to_string();
    assert!(follow_id.starts_with(&format!("{alice}/activities/")));
    // The activity is served at its id, to its actor's owner (it is not public: strangers
    // get 404, see tests/privacy.rs).
    let served: serde_json::Value = common::client()
        .get(&follow_id)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(served["type"], "Follow");
    assert_eq!(served["actor"], alice);
    assert_eq!(a.get_ap(&follow_id).await.0, 404);

    let bob_followers = format!("{bob}/followers");
    let alice_following = format!("{alice}/following");
    assert!(
        eventually(10, || follows(&b, &bob_followers, &alice)).await,
        "bob has alice as follower"
    );
    assert!(
        eventually(10, || follows(&a, &alice_following, &bob)).await,
        "alice's Accept arrived"
    );
    assert_eq!(b.total(&bob_followers, None).await, 1);

    // A second Follow adds no second follower.
    let (s, _) = a
        .post_outbox("alice", &token, &json!({"type": "Follow", "object": bob}))
        .await;
    assert_eq!(s, 201);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(b.total(&bob_followers, None).await, 1);

    // Undo by IRI of the Follow: alice's side forgets at once, bob's side after delivery.
    let (s, body) = a
        .post_outbox(
            "alice",
            &token,
            &json!({"type": "Undo", "object": follow_id}),
        )
        .await;
    assert_eq!(s, 201, "{body}");
    assert!(eventually(10, || async { b.total(&bob_followers, None).await == 0 }).await);
    assert_eq!(a.total(&alice_following, None).await, 0);
}

#[tokio::test]
async fn c2s_follow_of_a_local_actor_uses_the_same_path() {
    let a = Instance::start("a", PRIVATE_OK).await;
    let alice = a.register("alice").await;
    let carol = a.register("carol").await;
    let token = a.login("alice").await;
    let (s, _) = a
        .post_outbox(
            "alice",
            &token,
            &json!({"type": "Follow", "object": carol, "to": [carol]}),
        )
        .await;
    assert_eq!(s, 201);
    let carol_followers = format!("{carol}/followers");
    assert!(eventually(10, || follows(&a, &carol_followers, &alice)).await);
    let following = format!("{alice}/following");
    assert!(eventually(10, || follows(&a, &following, &carol)).await);
    // carol's inbox holds the Follow; alice's holds the Accept. Only owners may read them.
    let carol_token = a.login("carol").await;
    let inbox = a
        .collection(&format!("{carol}/inbox"), Some(&carol_token))
        .await;
    assert_eq!(inbox[0]["type"], "Follow");
    let inbox = a.collection(&format!("{alice}/inbox"), Some(&token)).await;
    assert_eq!(inbox[0]["type"], "Accept");
    let res = common::client()
        .get(format!("{carol}/inbox"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let res = common::client()
        .get(format!("{carol}/inbox"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    // Outbox is readable; its page lists the Follow.
    let outbox = a.collection(&format!("{alice}/outbox"), Some(&token)).await;
    assert_eq!(outbox[0]["type"], "Follow");
}

#[tokio::test]
async fn c2s_outbox_requires_the_owners_token() {
    let a = Instance::start("a", PRIVATE_OK).await;
    a.register("alice").await;
    let bob = a.register("bob").await;
    let token = a.login("alice").await;
    let follow = json!({"type": "Follow", "object": bob});
    let url = a.at("/people/alice/outbox");
    let res = common::client()
        .post(&url)
        .json(&follow)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let res = common::client()
        .post(&url)
        .bearer_auth("not-a-token")
        .json(&follow)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let (s, body) = a.post_outbox("bob", &token, &follow).await;
    assert_eq!(s, 403, "{body}");
    assert!(body["error"].is_string());
    let res = common::client()
        .post(&url)
        .bearer_auth(&token)
        .body("{nope")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let (s, _) = a
        .post_outbox("alice", &token, &json!({"object": bob}))
        .await;
    assert_eq!(s, 400, "no type");
    let (s, _) = a
        .post_outbox("alice", &token, &json!({"type": "Follow"}))
        .await;
    assert_eq!(s, 400, "Follow without object");
    assert_eq!(
        a.total(&a.at("/people/alice/outbox"), Some(&token)).await,
        0
    );
    assert_eq!(a.total(&format!("{bob}/followers"), None).await, 0);
}

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
