//! The shared inbox `POST /inbox` over real HTTP, from a fake remote server: an activity reaches
//! only the local actors it is addressed to (directly, through a followers collection they are
//! known to belong to, or as a Follow's object), and a large activity addressed to many local
//! people is stored once.

mod common;

use actors::ActorKind;
use common::remote::{FakeRemote, Sign};
use common::{eventually, Instance};
use serde_json::{json, Value};

const PRIVATE_OK: &str = "[federation]\nallow_private_addresses = true\n";

/// POSTs `activity` (by `from`) to A's shared inbox; answers how many local actors stored it.
async fn to_shared_inbox(remote: &FakeRemote, a: &Instance, from: &str, activity: Value) -> u64 {
    let body = serde_json::to_vec(&activity).unwrap();
    let (s, res) = remote.post(&a.at("/inbox"), &body, &Sign::by(from)).await;
    assert_eq!(s, 202, "{res}");
    res["stored"].as_u64().expect("stored")
}

fn note(remote: &FakeRemote, from: &str, n: &str, to: Value, content: &str) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/{n}", remote.actor(from)),
        "type": "Create",
        "actor": remote.actor(from),
        "to": to,
        "object": {"type": "Note", "content": content},
    })
}

/// `user` follows the fake's `name`: the C2S Follow goes out, the fake answers with an Accept.
async fn follow_remote(a: &Instance, user: &str, token: &str, remote: &FakeRemote, name: &str) {
    let (s, res) = a
        .post_outbox(
            user,
            token,
            &json!({"type": "Follow", "object": remote.actor(name)}),
        )
        .await;
    assert_eq!(s, 201, "{res}");
    let follow_id = res["id"].as_str().unwrap().to_string();
    assert!(
        eventually(10, || async {
            remote.received().iter().any(|r| r.2["id"] == follow_id)
        })
        .await,
        "the Follow reached the remote"
    );
    let me = a.at(&format!("/people/{user}"));
    let accept = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/accepts/{user}", remote.actor(name)),
        "type": "Accept",
        "actor": remote.actor(name),
        "to": [me],
        "object": follow_id,
    });
    let body = serde_json::to_vec(&accept).unwrap();
    let (s, _) = remote
        .post(&format!("{me}/inbox"), &body, &Sign::by(name))
        .await;
    assert_eq!(s, 202);
    let following = format!("{me}/following");
    let followed = remote.actor(name);
    assert!(
        eventually(10, || async {
            a.collection(&following, None)
                .await
                .iter()
                .any(|f| f == &json!(followed))
        })
        .await,
        "{user} follows {name}"
    );
}

/// Whether `user`'s inbox holds an activity with this id (after a moment for processing).
async fn has(a: &Instance, user: &str, token: &str, id: &Value) -> bool {
    let items = a
        .collection(&a.at(&format!("/people/{user}/inbox")), Some(token))
        .await;
    items.iter().any(|i| &i["id"] == id)
}

#[tokio::test]
async fn an_activity_reaches_only_the_local_people_it_is_addressed_to() {
    let remote = FakeRemote::start();
    let a = Instance::start("a", PRIVATE_OK).await;
    let alice = a.register("alice").await;
    let dave = a.register("dave").await;
    let alice_token = a.login("alice").await;
    let dave_token = a.login("dave").await;
    // alice follows mallory; dave follows nobody.
    follow_remote(&a, "alice", &alice_token, &remote, "mallory").await;

    // A direct message to a remote person and dave: dave only, not mallory's follower alice.
    let dm = note(
        &remote,
        "mallory",
        "dm",
        json!([remote.actor("eve"), dave]),
        "psst",
    );
    assert_eq!(to_shared_inbox(&remote, &a, "mallory", dm.clone()).await, 1);
    assert!(has(&a, "dave", &dave_token, &dm["id"]).await);
    assert!(
        !has(&a, "alice", &alice_token, &dm["id"]).await,
        "alice is not addressed"
    );

    // A collection that is not mallory's followers collection reaches nobody here.
    let other = format!("{}/close-friends", remote.actor("mallory"));
    let close = note(&remote, "mallory", "close", json!([other]), "close friends");
    assert_eq!(
        to_shared_inbox(&remote, &a, "mallory", close.clone()).await,
        0
    );
    assert!(!has(&a, "alice", &alice_token, &close["id"]).await);

    // mallory's followers collection (named by its actor document) reaches alice, not dave.
    let followers = format!("{}/followers", remote.actor("mallory"));
    let to_followers = note(&remote, "mallory", "f", json!([followers]), "followers");
    assert_eq!(
        to_shared_inbox(&remote, &a, "mallory", to_followers.clone()).await,
        1
    );
    assert!(has(&a, "alice", &alice_token, &to_followers["id"]).await);
    assert!(!has(&a, "dave", &dave_token, &to_followers["id"]).await);

    // eve's followers collection: alice does not follow eve.
    let eves = format!("{}/followers", remote.actor("eve"));
    let by_eve = note(&remote, "eve", "e", json!([eves]), "eve's followers");
    assert_eq!(to_shared_inbox(&remote, &a, "eve", by_eve).await, 0);

    // A public post reaches the sender's followers here; a bcc'd local person too.
    let public = note(
        &remote,
        "mallory",
        "p",
        json!(["https://www.w3.org/ns/activitystreams#Public"]),
        "hello world",
    );
    let mut public = public;
    public["bcc"] = json!([dave]);
    assert_eq!(
        to_shared_inbox(&remote, &a, "mallory", public.clone()).await,
        2
    );

    // A Follow reaches its object, and nobody else.
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/follow-dave", remote.actor("eve")),
        "type": "Follow",
        "actor": remote.actor("eve"),
        "object": dave,
    });
    assert_eq!(to_shared_inbox(&remote, &a, "eve", follow.clone()).await, 1);
    assert!(has(&a, "dave", &dave_token, &follow["id"]).await);
    assert!(!has(&a, "alice", &alice_token, &follow["id"]).await);
    assert_eq!(alice, a.at("/people/alice"));
}

#[tokio::test]
async fn a_large_activity_to_twenty_local_people_is_stored_once() {
    let remote = FakeRemote::start();
    let mut a = Instance::start("a", PRIVATE_OK).await;
    let mut people = Vec::new();
    for n in 0..20 {
        people.push(a.register(&format!("p{n:02}")).await);
    }
    let store = a.server().registry.store().clone();
    store.flush().await.unwrap();
    let before = store.size_on_disk().unwrap();
    let content = "x".repeat(900 * 1024);
    let big = note(&remote, "mallory", "big", json!(people), &content);
    let body_len = serde_json::to_vec(&big).unwrap().len() as u64;
    assert_eq!(
        to_shared_inbox(&remote, &a, "mallory", big.clone()).await,
        20
    );
    store.flush().await.unwrap();
    let grown = store.size_on_disk().unwrap().saturating_sub(before);
    let (bodies, bytes) = actors::bodies::stored_bodies(&store, ActorKind::Person).unwrap();
    eprintln!("body {body_len} B; database grew by {grown} B; {bodies} shared bodies, {bytes} B");
    assert_eq!(bodies, 1, "one stored body for twenty recipients");
    assert!(
        bytes < body_len + 1024,
        "the body is stored once: {bytes} B"
    );
    assert!(
        grown < 8 * body_len,
        "the database grew by {grown} B for a {body_len} B body sent to 20 people"
    );
    drop(store);
    // Every recipient reads the whole activity, after a restart too.
    a.restart().await;
    for n in [0, 7, 19] {
        let user = format!("p{n:02}");
        let token = a.login(&user).await;
        let items = a
            .collection(&a.at(&format!("/people/{user}/inbox")), Some(&token))
            .await;
        assert_eq!(items.len(), 1, "{user}");
        assert_eq!(items[0]["id"], big["id"]);
        assert_eq!(
            items[0]["object"]["content"].as_str().map(str::len),
            Some(content.len())
        );
    }
}

#[tokio::test]
async fn a_post_to_followers_reaches_followers_on_another_instance_only() {
    let a = Instance::start("a", PRIVATE_OK).await;
    let b = Instance::start("b", PRIVATE_OK).await;
    let bob = b.register("bob").await;
    let bob_token = b.login("bob").await;
    let mut tokens = Vec::new();
    for name in ["alice", "carol", "dave"] {
        a.register(name).await;
        tokens.push(a.login(name).await);
    }
    // alice and carol follow bob (two followers behind A's one shared inbox); dave does not.
    for (name, token) in [("alice", &tokens[0]), ("carol", &tokens[1])] {
        let (s, _) = a
            .post_outbox(name, token, &json!({"type": "Follow", "object": bob}))
            .await;
        assert_eq!(s, 201);
        let following = a.at(&format!("/people/{name}/following"));
        assert!(
            eventually(10, || async {
                a.collection(&following, None)
                    .await
                    .iter()
                    .any(|f| f == &json!(bob))
            })
            .await
        );
    }
    let (s, res) = b
        .post_outbox(
            "bob",
            &bob_token,
            &json!({"type": "Create", "to": [format!("{bob}/followers")],
                    "object": {"type": "Note", "content": "to my followers"}}),
        )
        .await;
    assert_eq!(s, 201, "{res}");
    let id = res["id"].clone();
    for (name, token) in [("alice", &tokens[0]), ("carol", &tokens[1])] {
        assert!(
            a.find_in_inbox(name, token, 10, |i| i["id"] == id)
                .await
                .is_some(),
            "bob's follower {name} receives it through A's shared inbox"
        );
    }
    assert!(
        !has(&a, "dave", &tokens[2], &id).await,
        "dave does not follow bob"
    );
}
