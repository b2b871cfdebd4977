//! Every way a signed inbox POST can be wrong, over real HTTP: each gets a clear 4xx with a JSON
//! reason and changes nothing; a replay is accepted but has no second effect.

mod common;

use common::remote::{DigestMode, FakeRemote, Sign};
use common::{eventually, Instance};
use serde_json::{json, Value};
use std::time::{Duration, SystemTime};

struct Setup {
    remote: FakeRemote,
    a: Instance,
    bob: String,
    token: String,
}

async fn setup() -> Setup {
    let remote = FakeRemote::start();
    let a = Instance::start("a", "[federation]\nallow_private_addresses = true\n").await;
    let bob = a.register("bob").await;
    let token = a.login("bob").await;
    Setup {
        remote,
        a,
        bob,
        token,
    }
}

fn follow(remote: &FakeRemote, actor: &str, object: &str, n: u32) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/{n}", remote.actor(actor)),
        "type": "Follow",
        "actor": remote.actor(actor),
        "object": object,
    }))
    .unwrap()
}

impl Setup {
    async fn inbox_total(&self) -> u64 {
        self.a
            .total(&format!("{}/inbox", self.bob), Some(&self.token))
            .await
    }

    async fn followers(&self) -> u64 {
        self.a.total(&format!("{}/followers", self.bob), None).await
    }

    async fn expect_refused(&self, what: &str, body: &[u8], sign: Sign, status: u16) {
        let (s, res) = self
            .remote
            .post(&format!("{}/inbox", self.bob), body, &sign)
            .await;
        assert_eq!(s, status, "{what}: {res}");
        let reason = res["error"].as_str().unwrap_or_default();
        assert!(!reason.is_empty(), "{what}: a JSON reason is given");
        eprintln!("{what}: {s} {reason}");
    }
}

#[tokio::test]
async fn every_bad_request_is_refused_and_changes_nothing() {
    let t = setup().await;
    let good = follow(&t.remote, "mallory", &t.bob, 1);

    let mut tampered = Sign::by("mallory");
    tampered.send_body = Some(follow(&t.remote, "mallory", &t.bob, 2));
    t.expect_refused("tampered body", &good, tampered, 400)
        .await;

    let mut missing_digest = Sign::by("mallory");
    missing_digest.digest = DigestMode::Missing;
    t.expect_refused("missing Digest", &good, missing_digest, 400)
        .await;

    let mut unsigned = Sign::by("mallory");
    unsigned.signed = false;
    t.expect_refused("unsigned", &good, unsigned, 401).await;

    let mut wrong_key = Sign::by("mallory");
    wrong_key.key_of = Some("eve".into());
    t.expect_refused("signed with another actor's key", &good, wrong_key, 401)
        .await;

    let mut old = Sign::by("mallory");
    old.date = SystemTime::now() - Duration::from_secs(600);
    t.expect_refused("Date 10 minutes old", &good, old, 401)
        .await;

    let mut ahead = Sign::by("mallory");
    ahead.date = SystemTime::now() + Duration::from_secs(3600);
    t.expect_refused("Date 1 hour ahead", &good, ahead, 401)
        .await;

    let mut garbage = Sign::by("mallory");
    garbage.raw_date = Some("yesterday-ish".into());
    t.expect_refused("unparseable Date", &good, garbage, 401)
        .await;

    let eves_follow = follow(&t.remote, "eve", &t.bob, 3);
    t.expect_refused(
        "actor is not the key owner",
        &eves_follow,
        Sign::by("mallory"),
        401,
    )
    .await;

    let mut huge = json!({"type": "Note", "actor": t.remote.actor("mallory")});
    huge["content"] = Value::String("x".repeat(2 * 1024 * 1024));
    let huge = serde_json::to_vec(&huge).unwrap();
    t.expect_refused("2 MiB body", &huge, Sign::by("mallory"), 413)
        .await;

    t.expect_refused(
        "malformed JSON",
        b"{\"type\": \"Follow\",",
        Sign::by("mallory"),
        400,
    )
    .await;
    t.expect_refused("not an activity", b"[1, 2]", Sign::by("mallory"), 400)
        .await;

    let mut unknown_key = Sign::by("nobody");
    unknown_key.key_of = Some("mallory".into());
    t.expect_refused("keyId that does not resolve", &good, unknown_key, 401)
        .await;

    let (s, _) = t
        .remote
        .post(&t.a.at("/people/nobody/inbox"), &good, &Sign::by("mallory"))
        .await;
    assert_eq!(s, 404, "inbox of an unknown actor");

    // Nothing was stored, nobody follows bob, nothing was sent out.
    assert_eq!(t.inbox_total().await, 0);
    assert_eq!(t.followers().await, 0);
    assert!(t.remote.received().is_empty());
}

#[tokio::test]
async fn a_replay_is_accepted_once_and_has_no_second_effect() {
    let t = setup().await;
    let body = follow(&t.remote, "mallory", &t.bob, 1);
    let inbox = format!("{}/inbox", t.bob);
    let (s, first) = t.remote.post(&inbox, &body, &Sign::by("mallory")).await;
    assert_eq!(s, 202, "{first}");
    assert_eq!(first["stored"], 1);
    assert!(eventually(10, || async { t.remote.received().len() == 1 }).await);
    let (s, again) = t.remote.post(&inbox, &body, &Sign::by("mallory")).await;
    assert_eq!(s, 202, "{again}");
    assert_eq!(again["duplicates"], 1);
    // Through the shared inbox too.
    let (s, shared) = t
        .remote
        .post(&t.a.at("/inbox"), &body, &Sign::by("mallory"))
        .await;
    assert_eq!(s, 202, "{shared}");
    assert_eq!(shared["duplicates"], 1);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(t.inbox_total().await, 1);
    assert_eq!(t.followers().await, 1);
    assert_eq!(t.remote.received().len(), 1, "one Accept, not two");
}

#[tokio::test]
async fn unknown_activity_types_are_accepted_and_ignored() {
    let t = setup().await;
    let body = serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/x", t.remote.actor("mallory")),
        "type": "Dance",
        "actor": t.remote.actor("mallory"),
        "object": t.bob,
    }))
    .unwrap();
    let (s, _) = t
        .remote
        .post(&format!("{}/inbox", t.bob), &body, &Sign::by("mallory"))
        .await;
    assert_eq!(s, 202);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(t.followers().await, 0);
    assert!(t.remote.received().is_empty());
}

#[tokio::test]
async fn undo_by_someone_else_changes_nothing() {
    let t = setup().await;
    let inbox = format!("{}/inbox", t.bob);
    let body = follow(&t.remote, "mallory", &t.bob, 1);
    let (s, _) = t.remote.post(&inbox, &body, &Sign::by("mallory")).await;
    assert_eq!(s, 202);
    assert!(eventually(10, || async { t.followers().await == 1 }).await);
    let follow_value: Value = serde_json::from_slice(&body).unwrap();
    // eve undoes mallory's Follow, embedded and by IRI: both refused in processing.
    for object in [follow_value.clone(), follow_value["id"].clone()] {
        let undo = serde_json::to_vec(&json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}/undo/{}", t.remote.actor("eve"), object.is_string()),
            "type": "Undo",
            "actor": t.remote.actor("eve"),
            "object": object,
        }))
        .unwrap();
        let (s, _) = t.remote.post(&inbox, &undo, &Sign::by("eve")).await;
        assert_eq!(s, 202);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(t.followers().await, 1, "eve cannot undo mallory's Follow");
    let undo = serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/undo/1", t.remote.actor("mallory")),
        "type": "Undo",
        "actor": t.remote.actor("mallory"),
        "object": follow_value,
    }))
    .unwrap();
    let (s, _) = t.remote.post(&inbox, &undo, &Sign::by("mallory")).await;
    assert_eq!(s, 202);
    assert!(eventually(10, || async { t.followers().await == 0 }).await);
}

/// A Follow of `object` by `actor` with the given id.
fn follow_with_id(remote: &FakeRemote, actor: &str, object: &str, id: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": id,
        "type": "Follow",
        "actor": remote.actor(actor),
        "object": object,
    }))
    .unwrap()
}

#[tokio::test]
async fn a_request_signed_for_another_host_or_path_is_refused() {
    let t = setup().await;
    let body = follow(&t.remote, "mallory", &t.bob, 1);
    // Signed for another server (same host, another port; another name) and replayed here.
    let other_port = format!("127.0.0.1:{}", t.a.port.wrapping_add(1));
    for host in [other_port.as_str(), "forge.example", "127.0.0.1"] {
        let mut replayed = Sign::by("mallory");
        replayed.host = Some(host.into());
        t.expect_refused(&format!("signed for host {host}"), &body, replayed, 401)
            .await;
    }
    // Signed for another inbox of this instance, POSTed to bob's.
    let mut elsewhere = Sign::by("mallory");
    elsewhere.signed_path = Some("/people/alice/inbox".into());
    t.expect_refused("signed for another path", &body, elsewhere, 401)
        .await;
    assert_eq!(t.inbox_total().await, 0);
    // Signed for this instance (its public_url authority, in either case): accepted.
    let mut ours = Sign::by("mallory");
    ours.host = Some(format!("127.0.0.1:{}", t.a.port));
    let (s, res) = t
        .remote
        .post(&format!("{}/inbox", t.bob), &body, &ours)
        .await;
    assert_eq!(s, 202, "{res}");
    assert_eq!(t.inbox_total().await, 1);
}

#[tokio::test]
async fn ids_on_this_instance_or_on_another_origin_are_refused() {
    let t = setup().await;
    // A Grant-like id under bob (what this instance would give out), another server's id, and
    // ids that have no origin at all.
    let refused = [
        t.a.at("/people/bob/activities/0123456789abcdef01234567"),
        t.a.at("/repos/r1/activities/aa"),
        "http://127.0.0.1:9/users/mallory/activities/1".to_string(),
        "https://victim.example/activities/1".to_string(),
        "urn:orchard:sha256:00".to_string(),
    ];
    for id in &refused {
        let body = follow_with_id(&t.remote, "mallory", &t.bob, id);
        t.expect_refused(&format!("id {id}"), &body, Sign::by("mallory"), 400)
            .await;
    }
    assert_eq!(t.inbox_total().await, 0);
    assert_eq!(t.followers().await, 0);
    // The same activity with an id on mallory's own server is accepted.
    let id = format!("{}/follows/1", t.remote.actor("mallory"));
    let body = follow_with_id(&t.remote, "mallory", &t.bob, &id);
    let (s, res) = t
        .remote
        .post(&format!("{}/inbox", t.bob), &body, &Sign::by("mallory"))
        .await;
    assert_eq!(s, 202, "{res}");
    assert!(eventually(10, || async { t.followers().await == 1 }).await);
}

#[tokio::test]
async fn activities_without_the_shape_their_type_needs_are_refused() {
    let t = setup().await;
    let me = t.remote.actor("mallory");
    let like = |object: Value| json!({"type": "Like", "actor": me, "object": object});
    let mut like_no_actor = like(json!(t.bob));
    like_no_actor.as_object_mut().unwrap().remove("actor");
    let cases: Vec<(&str, Value)> = vec![
        ("Undo without object", json!({"type": "Undo"})),
        (
            "Undo of a typeless object",
            json!({"type": "Undo", "object": {"actor": me, "object": t.bob}}),
        ),
        (
            "Undo of a term",
            json!({"type": "Undo", "object": "something"}),
        ),
        (
            "Undo{Like} without actor",
            json!({"type": "Undo", "object": like_no_actor}),
        ),
        (
            "Undo{Like} without object",
            json!({"type": "Undo", "object": {"type": "Like", "actor": me}}),
        ),
        (
            "Undo{Follow} without object",
            json!({"type": "Undo", "object": {"type": "Follow", "actor": me}}),
        ),
        ("Like without object", json!({"type": "Like"})),
        (
            "Like of a term",
            json!({"type": "Like", "object": "not an IRI"}),
        ),
        (
            "Like of an object without id",
            json!({"type": "Like", "object": {"type": "Note"}}),
        ),
        ("Follow without object", json!({"type": "Follow"})),
        ("Accept without object", json!({"type": "Accept"})),
        ("Create without object", json!({"type": "Create"})),
    ];
    for (n, (what, mut activity)) in cases.into_iter().enumerate() {
        let map = activity.as_object_mut().unwrap();
        map.insert("id".into(), json!(format!("{me}/bad/{n}")));
        map.insert("actor".into(), json!(me));
        let body = serde_json::to_vec(&activity).unwrap();
        t.expect_refused(what, &body, Sign::by("mallory"), 400)
            .await;
    }
    assert_eq!(t.inbox_total().await, 0, "nothing was stored");
    assert_eq!(t.followers().await, 0);
    assert!(t.remote.received().is_empty(), "nothing was answered");
}

#[tokio::test]
async fn an_undo_naming_the_follow_by_iri_unfollows() {
    let t = setup().await;
    let inbox = format!("{}/inbox", t.bob);
    let body = follow(&t.remote, "mallory", &t.bob, 1);
    let (s, _) = t.remote.post(&inbox, &body, &Sign::by("mallory")).await;
    assert_eq!(s, 202);
    assert!(eventually(10, || async { t.followers().await == 1 }).await);
    let follow_id: Value = serde_json::from_slice::<Value>(&body).unwrap()["id"].clone();
    let undo = serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/undo/by-iri", t.remote.actor("mallory")),
        "type": "Undo",
        "actor": t.remote.actor("mallory"),
        "object": follow_id,
    }))
    .unwrap();
    let (s, _) = t.remote.post(&inbox, &undo, &Sign::by("mallory")).await;
    assert_eq!(s, 202);
    assert!(eventually(10, || async { t.followers().await == 0 }).await);
}
