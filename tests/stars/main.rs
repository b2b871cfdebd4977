//! Stars over real HTTP: Like and Undo{Like} by local and remote people, one star per person,
//! Forgejo's wire format (no id, no @context, startTime), and no circular federation between
//! three instances whose repositories federate their stars in a ring.

#[path = "../common/mod.rs"]
mod common;

mod calls;

use calls::{admin_repo, likers, vector};
use common::eventually;
use common::forge::{world, World};
use common::remote::{FakeRemote, Sign};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::time::Duration;

#[tokio::test]
async fn stars_by_local_and_remote_people_once_each() {
    let w = world().await;
    let repo = admin_repo(&w, "Starry").await;
    let (_, doc) = w.a.get_ap(&repo).await;
    assert_eq!(doc["likes"], format!("{repo}/likes"));
    let (alice, token, first) = alice_stars_once(&w, &repo).await;
    let remote = FakeRemote::start();
    let like = a_remote_stars_in_forgejo_format(&w, &remote, &repo).await;
    idless_likes_need_a_start_time(&remote, &repo, &like).await;
    only_mallory_undoes_her_star(&w, &remote, &repo, &alice).await;

    // alice unstars by naming her Like.
    let (s, _) =
        w.a.post_outbox(
            "alice",
            &token,
            &json!({"type": "Undo", "object": first["id"]}),
        )
        .await;
    assert_eq!(s, 201);
    assert!(eventually(10, || async { likers(&w.a, &repo).await.is_empty() }).await);
    assert!(
        remote.received().is_empty(),
        "incoming stars are never re-sent"
    );
}

/// alice stars the repository; a repeated Like changes nothing. Answers alice, her token and
/// her first Like's answer.
async fn alice_stars_once(w: &World, repo: &str) -> (String, String, Value) {
    let alice = w.a.register("alice").await;
    let token = w.a.login("alice").await;
    let (s, first) =
        w.a.post_outbox("alice", &token, &json!({"type": "Like", "object": repo}))
            .await;
    assert_eq!(s, 201);
    assert!(
        eventually(10, || async {
            w.a.total(&format!("{repo}/likes"), None).await == 1
        })
        .await
    );
    w.a.post_outbox("alice", &token, &json!({"type": "Like", "object": repo}))
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        likers(&w.a, repo).await,
        BTreeSet::from([alice.clone()]),
        "a repeated Like changes nothing"
    );
    (alice, token, first)
}

/// Forgejo's wire format from a remote actor (mallory): no id, no @context, a startTime; a
/// replay is recognised. Answers the Like.
async fn a_remote_stars_in_forgejo_format(w: &World, remote: &FakeRemote, repo: &str) -> Value {
    let inbox = format!("{repo}/inbox");
    let mut like = vector("valid--Like--forgejo-wire-format.json");
    like["actor"] = json!(remote.actor("mallory"));
    like["object"] = json!(repo);
    let body = serde_json::to_vec(&like).unwrap();
    let (s, res) = remote.post(&inbox, &body, &Sign::by("mallory")).await;
    assert_eq!(s, 202, "{res}");
    assert!(
        eventually(10, || async {
            likers(&w.a, repo).await.contains(&remote.actor("mallory"))
        })
        .await
    );
    let (s, res) = remote.post(&inbox, &body, &Sign::by("mallory")).await;
    assert_eq!(
        (s, res["duplicates"].clone()),
        (202, json!(1)),
        "a replay is recognised"
    );
    like
}

/// Id-less Likes need a startTime, not more than 10 minutes ahead.
async fn idless_likes_need_a_start_time(remote: &FakeRemote, repo: &str, like: &Value) {
    let inbox = format!("{repo}/inbox");
    let mut no_time = like.clone();
    no_time.as_object_mut().unwrap().remove("startTime");
    no_time["actor"] = json!(remote.actor("eve"));
    let (s, _) = remote
        .post(
            &inbox,
            &serde_json::to_vec(&no_time).unwrap(),
            &Sign::by("eve"),
        )
        .await;
    assert_eq!(s, 400);
    let mut future = no_time.clone();
    let ahead = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    future["startTime"] = json!(ahead
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap());
    let (s, _) = remote
        .post(
            &inbox,
            &serde_json::to_vec(&future).unwrap(),
            &Sign::by("eve"),
        )
        .await;
    assert_eq!(s, 400);
}

/// eve cannot undo mallory's star; mallory can, with Forgejo's Undo.
async fn only_mallory_undoes_her_star(w: &World, remote: &FakeRemote, repo: &str, alice: &str) {
    let inbox = format!("{repo}/inbox");
    let mut undo = vector("valid--Undo-Like--forgejo-wire-format.json");
    undo["object"]["actor"] = json!(remote.actor("mallory"));
    undo["object"]["object"] = json!(repo);
    undo["actor"] = json!(remote.actor("eve"));
    let (s, _) = remote
        .post(
            &inbox,
            &serde_json::to_vec(&undo).unwrap(),
            &Sign::by("eve"),
        )
        .await;
    assert_eq!(s, 202);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(likers(&w.a, repo).await.len(), 2);
    undo["actor"] = json!(remote.actor("mallory"));
    let (s, _) = remote
        .post(
            &inbox,
            &serde_json::to_vec(&undo).unwrap(),
            &Sign::by("mallory"),
        )
        .await;
    assert_eq!(s, 202);
    assert!(
        eventually(10, || async {
            likers(&w.a, repo).await == BTreeSet::from([alice.to_string()])
        })
        .await
    );
}

#[tokio::test]
async fn stars_federated_in_a_ring_of_three_instances_do_not_loop() {
    let (wa, wb, wc) = (world().await, world().await, world().await);
    let ra = admin_repo(&wa, "Ring").await;
    let rb = admin_repo(&wb, "Ring").await;
    let rc = admin_repo(&wc, "Ring").await;
    // Each repository federates its stars to the next: A -> B -> C -> A.
    for (w, repo, next) in [(&wa, &ra, &rb), (&wb, &rb, &rc), (&wc, &rc, &ra)] {
        let grant =
            w.a.grant_on("admin", repo, "active", 10)
                .await
                .expect("admin Grant on the repo");
        let (s, _) =
            w.a.post_outbox(
                "admin",
                &w.admin_token,
                &json!({"type": "Edit", "capability": grant["id"],
                "object": {"id": repo, "federatedRepositories": [next]}}),
            )
            .await;
        assert_eq!(s, 201);
        assert!(
            eventually(10, || async {
                w.a.get_ap(repo).await.1["federatedRepositories"] == json!([next])
            })
            .await
        );
    }
    // One person on each instance stars the local repository.
    let mut people = Vec::new();
    for (w, repo, name) in [(&wa, &ra, "alice"), (&wb, &rb, "bob"), (&wc, &rc, "carol")] {
        let iri = w.a.register(name).await;
        let token = w.a.login(name).await;
        let (s, _) =
            w.a.post_outbox(name, &token, &json!({"type": "Like", "object": repo}))
                .await;
        assert_eq!(s, 201);
        people.push(iri);
    }
    let (alice, bob, carol) = (&people[0], &people[1], &people[2]);
    let expected = [
        (&wa, &ra, BTreeSet::from([alice.clone(), carol.clone()])),
        (&wb, &rb, BTreeSet::from([alice.clone(), bob.clone()])),
        (&wc, &rc, BTreeSet::from([bob.clone(), carol.clone()])),
    ];
    for (w, repo, want) in &expected {
        assert!(
            eventually(15, || async { &likers(&w.a, repo).await == want }).await,
            "{repo}: {:?}",
            likers(&w.a, repo).await
        );
    }
    // Nothing keeps travelling: after a while the stars are still exactly these.
    tokio::time::sleep(Duration::from_secs(2)).await;
    for (w, repo, want) in &expected {
        assert_eq!(&likers(&w.a, repo).await, want, "no loop");
    }
}

#[tokio::test]
async fn an_undo_naming_the_like_by_iri_unstars_only_for_its_actor() {
    let w = world().await;
    let repo = admin_repo(&w, "ByIri").await;
    let remote = FakeRemote::start();
    let inbox = format!("{repo}/inbox");
    let mallory = remote.actor("mallory");
    let like_id = format!("{mallory}/likes/1");
    let like = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": like_id, "type": "Like", "actor": mallory, "object": repo,
    });
    let body = serde_json::to_vec(&like).unwrap();
    let (s, res) = remote.post(&inbox, &body, &Sign::by("mallory")).await;
    assert_eq!(s, 202, "{res}");
    assert!(
        eventually(10, || async {
            likers(&w.a, &repo).await.contains(&mallory)
        })
        .await
    );

    let undo = |actor: &str, n: u32| {
        serde_json::to_vec(&json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{actor}/undos/{n}"), "type": "Undo", "actor": actor,
            "object": like_id,
        }))
        .unwrap()
    };
    // eve names mallory's Like: nothing changes.
    let eve = remote.actor("eve");
    let (s, res) = remote.post(&inbox, &undo(&eve, 1), &Sign::by("eve")).await;
    assert_eq!(s, 202, "{res}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(likers(&w.a, &repo).await, BTreeSet::from([mallory.clone()]));
    // mallory names her Like by its IRI: the star is gone.
    let (s, res) = remote
        .post(&inbox, &undo(&mallory, 1), &Sign::by("mallory"))
        .await;
    assert_eq!(s, 202, "{res}");
    assert!(eventually(10, || async { likers(&w.a, &repo).await.is_empty() }).await);

    a_big_like_is_undone_by_iri_the_same_way(&w, &remote, &repo).await;
}

/// A Like of over 1 KiB (stored once, by reference) is undone by IRI the same way.
async fn a_big_like_is_undone_by_iri_the_same_way(w: &World, remote: &FakeRemote, repo: &str) {
    let inbox = format!("{repo}/inbox");
    let eve = remote.actor("eve");
    let trent = eve.clone();
    let big_id = format!("{trent}/likes/1");
    let big = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": big_id, "type": "Like", "actor": trent, "object": repo,
        "summary": "x".repeat(4096),
    });
    let body = serde_json::to_vec(&big).unwrap();
    let (s, res) = remote.post(&inbox, &body, &Sign::by("eve")).await;
    assert_eq!(s, 202, "{res}");
    assert!(eventually(10, || async { likers(&w.a, repo).await.contains(&trent) }).await);
    let undo_big = serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{trent}/undos/2"), "type": "Undo", "actor": trent, "object": big_id,
    }))
    .unwrap();
    let (s, res) = remote.post(&inbox, &undo_big, &Sign::by("eve")).await;
    assert_eq!(s, 202, "{res}");
    assert!(eventually(10, || async { likers(&w.a, repo).await.is_empty() }).await);
}
