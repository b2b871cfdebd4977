//! Every capability failure (none, expired, not yet valid, revoked, another holder's, another
//! resource's, too low, another host's, forged) is a Reject that creates nothing.

use crate::calls::{create, created, repos_on_disk};
use crate::common::forge::{create_via_factory, invite_and_accept, world, World, B_SETTINGS};
use crate::common::Instance;
use serde_json::{json, Value};

#[tokio::test]
async fn every_capability_failure_is_a_reject_and_creates_nothing() {
    let w = world().await;
    let b = Instance::start("b", B_SETTINGS).await;
    for u in ["alice", "carol", "dave", "erin", "frank"] {
        w.a.register(u).await;
    }
    let invite = |user, role, window| invite_and_accept(&w, &w.a, user, role, window);
    let alice = invite("alice", "write", json!({})).await;
    let dave = invite("dave", "report", json!({})).await;
    let ended = json!({"endTime": "2020-01-01T00:00:00Z"});
    let not_started = json!({"startTime": "2999-01-01T00:00:00Z"});
    let erin = invite("erin", "write", ended).await;
    let frank = invite("frank", "write", not_started).await;
    let carol = invite("carol", "write", json!({})).await;
    carol_is_removed(&w).await;
    // alice gets a repository, whose admin Grant has the wrong context for the Factory.
    let repo = created(&create(&w, &w.a, "alice", "Repository", "Base", &alice).await);
    let repo_grant = w.a.grant_on("alice", &repo, "active", 10).await.unwrap();
    let before = repos_on_disk(&w.a);

    let id = |g: &Value| g["id"].as_str().unwrap().to_string();
    let held = Held {
        alice: id(&alice),
        dave: id(&dave),
        erin: id(&erin),
        frank: id(&frank),
        carol: id(&carol),
        repo: id(&repo_grant),
    };
    for (what, user, cap, reason) in failing_cases(&w, &b, &held) {
        let answer = create_via_factory(
            &w.a,
            user,
            &w.factory,
            "Repository",
            &format!("case {what}"),
            cap.as_deref(),
        )
        .await;
        assert_eq!(answer["type"], "Reject", "{what}: {answer}");
        let summary = answer["summary"].as_str().unwrap_or_default();
        assert!(summary.contains(reason), "{what}: {summary}");
    }
    let answer = create(&w, &w.a, "alice", "Person", "me", &alice).await;
    assert_eq!(answer["type"], "Reject", "type not creatable");
    assert_eq!(repos_on_disk(&w.a), before, "no repository was created");
    a_write_grant_cannot_invite(&w, &id(&alice)).await;
    let _ = &w.admin;
}

/// carol is removed: her Grant is revoked and she is told.
async fn carol_is_removed(w: &World) {
    let (s, _) = w.a.post_outbox("admin", &w.admin_token, &json!({"type": "Remove", "object": w.a.at("/people/carol"), "origin": w.factory, "capability": w.admin_grant})).await;
    assert_eq!(s, 201);
    assert!(
        w.a.grant_on("carol", &w.factory, "revoked", 10)
            .await
            .is_some(),
        "carol's Grant marked revoked"
    );
}

/// The Grants of the failure cases, by holder (`repo`: alice's admin Grant on her repository).
struct Held {
    alice: String,
    dave: String,
    erin: String,
    frank: String,
    carol: String,
    repo: String,
}

/// Every capability failure: (what, who asks, with which Grant, what the Reject says).
fn failing_cases(
    w: &World,
    b: &Instance,
    g: &Held,
) -> Vec<(&'static str, &'static str, Option<String>, &'static str)> {
    vec![
        ("no capability", "alice", None, "needs a capability"),
        ("expired", "erin", Some(g.erin.clone()), "expired"),
        (
            "not yet started",
            "frank",
            Some(g.frank.clone()),
            "not valid before",
        ),
        ("revoked", "carol", Some(g.carol.clone()), "revoked"),
        (
            "wrong target",
            "dave",
            Some(g.alice.clone()),
            "was given to",
        ),
        (
            "wrong context",
            "alice",
            Some(g.repo.clone()),
            "not issued by this resource",
        ),
        ("role too low", "dave", Some(g.dave.clone()), "lower"),
        (
            "another host's Grant",
            "alice",
            Some(b.at("/factories/main/activities/00ff")),
            "not a Grant of this instance",
        ),
        (
            "forged, never issued",
            "alice",
            Some(format!("{}/activities/deadbeef", w.factory)),
            "not a Grant this resource issued",
        ),
    ]
}

/// An Invite with a Grant that is not admin (alice's write Grant `alice`) is rejected too.
async fn a_write_grant_cannot_invite(w: &World, alice: &str) {
    let token = w.a.login("alice").await;
    let (_, body) = w.a.post_outbox("alice", &token, &json!({"type": "Invite", "object": w.a.at("/people/dave"), "instrument": "admin", "target": w.factory, "capability": alice})).await;
    let invite_id = body["id"].as_str().unwrap().to_string();
    let reject =
        w.a.find_in_inbox("alice", &token, 10, |v| {
            v["type"] == "Reject" && v["object"]["id"] == invite_id
        })
        .await;
    assert!(reject.is_some(), "a write Grant cannot invite");
}
