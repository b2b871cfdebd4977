//! The shared inbox `POST /inbox` over real HTTP, from a fake remote server: an activity reaches
//! only the local actors it is addressed to (directly, through a followers collection they are
//! known to belong to, or as a Follow's object), and a large activity addressed to many local
//! people is stored once.

#[path = "../common/mod.rs"]
mod common;

mod calls;

use actors::ActorKind;
use calls::{follow_remote, has, note, to_shared_inbox, PRIVATE_OK};
use common::remote::FakeRemote;
use common::{eventually, Instance};
use serde_json::json;

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

    let who = Who {
        a: &a,
        remote: &remote,
        alice_token: &alice_token,
        dave_token: &dave_token,
        dave: &dave,
    };
    addressed_people_only(&who).await;
    followers_collections(&who).await;
    public_posts_and_follows(&who).await;
    assert_eq!(alice, a.at("/people/alice"));
}

/// The instance, the remote, and the local people (alice follows mallory; dave follows nobody).
struct Who<'a> {
    a: &'a Instance,
    remote: &'a FakeRemote,
    alice_token: &'a str,
    dave_token: &'a str,
    dave: &'a str,
}

/// A direct message to a remote person and dave reaches dave only, not mallory's follower
/// alice; a collection that is not mallory's followers collection reaches nobody here.
async fn addressed_people_only(w: &Who<'_>) {
    // A direct message to a remote person and dave: dave only, not mallory's follower alice.
    let dm = note(
        w.remote,
        "mallory",
        "dm",
        json!([w.remote.actor("eve"), w.dave]),
        "psst",
    );
    assert_eq!(
        to_shared_inbox(w.remote, w.a, "mallory", dm.clone()).await,
        1
    );
    assert!(has(w.a, "dave", w.dave_token, &dm["id"]).await);
    assert!(
        !has(w.a, "alice", w.alice_token, &dm["id"]).await,
        "alice is not addressed"
    );

    // A collection that is not mallory's followers collection reaches nobody here.
    let other = format!("{}/close-friends", w.remote.actor("mallory"));
    let close = note(
        w.remote,
        "mallory",
        "close",
        json!([other]),
        "close friends",
    );
    assert_eq!(
        to_shared_inbox(w.remote, w.a, "mallory", close.clone()).await,
        0
    );
    assert!(!has(w.a, "alice", w.alice_token, &close["id"]).await);
}

/// mallory's followers collection (named by its actor document) reaches alice, not dave; eve's
/// reaches nobody (alice does not follow eve).
async fn followers_collections(w: &Who<'_>) {
    // mallory's followers collection (named by its actor document) reaches alice, not dave.
    let followers = format!("{}/followers", w.remote.actor("mallory"));
    let to_followers = note(w.remote, "mallory", "f", json!([followers]), "followers");
    assert_eq!(
        to_shared_inbox(w.remote, w.a, "mallory", to_followers.clone()).await,
        1
    );
    assert!(has(w.a, "alice", w.alice_token, &to_followers["id"]).await);
    assert!(!has(w.a, "dave", w.dave_token, &to_followers["id"]).await);

    // eve's followers collection: alice does not follow eve.
    let eves = format!("{}/followers", w.remote.actor("eve"));
    let by_eve = note(w.remote, "eve", "e", json!([eves]), "eve's followers");
    assert_eq!(to_shared_inbox(w.remote, w.a, "eve", by_eve).await, 0);
}

/// A public post reaches the sender's followers here, and a bcc'd local person too; a Follow
/// reaches its object, and nobody else.
async fn public_posts_and_follows(w: &Who<'_>) {
    // A public post reaches the sender's followers here; a bcc'd local person too.
    let public = note(
        w.remote,
        "mallory",
        "p",
        json!(["https://www.w3.org/ns/activitystreams#Public"]),
        "hello world",
    );
    let mut public = public;
    public["bcc"] = json!([w.dave]);
    assert_eq!(
        to_shared_inbox(w.remote, w.a, "mallory", public.clone()).await,
        2
    );

    // A Follow reaches its object, and nobody else.
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/follow-dave", w.remote.actor("eve")),
        "type": "Follow",
        "actor": w.remote.actor("eve"),
        "object": w.dave,
    });
    assert_eq!(
        to_shared_inbox(w.remote, w.a, "eve", follow.clone()).await,
        1
    );
    assert!(has(w.a, "dave", w.dave_token, &follow["id"]).await);
    assert!(!has(w.a, "alice", w.alice_token, &follow["id"]).await);
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
