//! Federation over real HTTP between real instances: Follow, Accept and Undo across instances and
//! locally, C2S outbox rules, durable delivery to an instance that was down, and no retry of a
//! permanent failure.

#[path = "../common/mod.rs"]
mod common;

mod delivery;
mod setup;

use common::{eventually, Instance};
use serde_json::json;
use setup::{follows, PRIVATE_OK};

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
    // get 404, see tests/privacy/).
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
