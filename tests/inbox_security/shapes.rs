//! Signed for another host or path, ids this sender may not use, and activities without the
//! shape their type needs: each refused, changing nothing.

use crate::common::eventually;
use crate::common::remote::Sign;
use crate::setup::{follow, follow_with_id, setup};
use serde_json::{json, Value};

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
