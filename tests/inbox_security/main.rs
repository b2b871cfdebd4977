//! Every way a signed inbox POST can be wrong, over real HTTP: each gets a clear 4xx with a JSON
//! reason and changes nothing; a replay is accepted but has no second effect.

#[path = "../common/mod.rs"]
mod common;
mod setup;
mod shapes;

use common::eventually;
use common::remote::{DigestMode, Sign};
use serde_json::{json, Value};
use setup::{follow, setup, undo, Setup};
use std::time::{Duration, SystemTime};

#[tokio::test]
async fn every_bad_request_is_refused_and_changes_nothing() {
    let t = setup().await;
    let good = follow(&t.remote, "mallory", &t.bob, 1);

    signatures_that_do_not_hold(&t, &good).await;
    bodies_that_do_not_hold(&t, &good).await;
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
        let undo = undo(&t.remote, "eve", &object.is_string().to_string(), &object);
        let (s, _) = t.remote.post(&inbox, &undo, &Sign::by("eve")).await;
        assert_eq!(s, 202);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(t.followers().await, 1, "eve cannot undo mallory's Follow");
    let undo = undo(&t.remote, "mallory", "1", &follow_value);
    let (s, _) = t.remote.post(&inbox, &undo, &Sign::by("mallory")).await;
    assert_eq!(s, 202);
    assert!(eventually(10, || async { t.followers().await == 0 }).await);
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
    let undo = undo(&t.remote, "mallory", "by-iri", &follow_id);
    let (s, _) = t.remote.post(&inbox, &undo, &Sign::by("mallory")).await;
    assert_eq!(s, 202);
    assert!(eventually(10, || async { t.followers().await == 0 }).await);
}

/// Signatures, digests and dates that do not hold: each refused.
async fn signatures_that_do_not_hold(t: &Setup, good: &[u8]) {
    let mut tampered = Sign::by("mallory");
    tampered.send_body = Some(follow(&t.remote, "mallory", &t.bob, 2));
    t.expect_refused("tampered body", good, tampered, 400).await;

    let mut missing_digest = Sign::by("mallory");
    missing_digest.digest = DigestMode::Missing;
    t.expect_refused("missing Digest", good, missing_digest, 400)
        .await;

    let mut unsigned = Sign::by("mallory");
    unsigned.signed = false;
    t.expect_refused("unsigned", good, unsigned, 401).await;

    let mut wrong_key = Sign::by("mallory");
    wrong_key.key_of = Some("eve".into());
    t.expect_refused("signed with another actor's key", good, wrong_key, 401)
        .await;

    let mut old = Sign::by("mallory");
    old.date = SystemTime::now() - Duration::from_secs(600);
    t.expect_refused("Date 10 minutes old", good, old, 401)
        .await;

    let mut ahead = Sign::by("mallory");
    ahead.date = SystemTime::now() + Duration::from_secs(3600);
    t.expect_refused("Date 1 hour ahead", good, ahead, 401)
        .await;

    let mut garbage = Sign::by("mallory");
    garbage.raw_date = Some("yesterday-ish".into());
    t.expect_refused("unparseable Date", good, garbage, 401)
        .await;
}

/// Bodies that do not hold (another actor than the key's owner, too big, not JSON, not an
/// activity), and a keyId that does not resolve: each refused.
async fn bodies_that_do_not_hold(t: &Setup, good: &[u8]) {
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
    t.expect_refused("keyId that does not resolve", good, unknown_key, 401)
        .await;
}
