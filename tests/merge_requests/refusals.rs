//! The refusals of issue #17's journey, on the same three instances: an Apply without a Grant,
//! one invoking someone else's Grant, one forged by another server (signed by a key that is not
//! its actor's), an MR offered to a TicketTracker, a merge that conflicts, an MR from a private
//! fork the tracker cannot read, an MR from a private repository the tracker reads but its
//! author may not. Each is a Reject or a 4xx, and `main`, the MR and the
//! trackers' collections are as they were.

use crate::common::git::{commit, ok, path_of, rev};
use crate::common::remote::{FakeRemote, Sign};
use crate::forge::{create, doc, post, rejected, remote_head, result};
use crate::{apply, bob_opens, bob_pushes, set_up, Journey};
use serde_json::json;

#[tokio::test]
async fn refusals_change_nothing() {
    let j = set_up().await;
    let factory = (j.b_factory.0.as_str(), j.b_factory.1.as_str());
    let origin = json!({"origin": j.repo});
    let fork = result(&create(&j.b, "bob", factory, ("Repository", "Tree Sim"), origin).await);
    bob_pushes(&j, &fork, "fix", "fix.txt").await;
    let mr = bob_opens(&j, &fork, "fix").await;
    applies_without_authority(&j, &mr).await;
    a_ticket_tracker_refuses_an_mr(&j, &fork).await;
    a_conflict_is_refused(&j, &fork).await;
    a_private_fork_is_refused(&j).await;
    a_private_origin_needs_the_authors_grant(&j).await;
}

/// `main` and the MR after a refused Apply.
async fn unchanged(j: &Journey, main: &str, mr: &str) {
    assert_eq!(remote_head(&j.repo, "main").as_deref(), Some(main));
    let got = doc(&j.a, mr).await;
    assert_eq!(
        (&got["isResolved"], &got["isMerged"]),
        (&json!(false), &json!(false))
    );
}

/// carol (no Grant on the tracker) applies bob's MR without a capability, then invoking
/// alice's Grant; a fake server posts an Apply in alice's name, signed with its own key.
async fn applies_without_authority(j: &Journey, mr: &str) {
    let main = remote_head(&j.repo, "main").expect("main");
    let carol = j.c.at("/people/carol");
    let mut bare = apply(j, &carol, mr, "");
    bare.as_object_mut().unwrap().remove("capability");
    let (_, answer) = post(&j.c, "carol", &j.tracker, &bare).await;
    assert_eq!(answer["type"], "Reject", "{answer}");
    unchanged(j, &main, mr).await;
    let borrowed = apply(j, &carol, mr, &j.alice_on_tracker);
    let (_, answer) = post(&j.c, "carol", &j.tracker, &borrowed).await;
    assert_eq!(answer["type"], "Reject", "{answer}");
    unchanged(j, &main, mr).await;
    let fake = FakeRemote::start();
    let mut forged = apply(j, &j.a.at("/people/alice"), mr, &j.alice_on_tracker);
    forged["id"] = json!(format!("{}/activities/forged-apply", fake.url));
    let body = serde_json::to_vec(&forged).unwrap();
    let (status, _) = fake
        .post(&format!("{}/inbox", j.tracker), &body, &Sign::by("mallory"))
        .await;
    assert_eq!(status, 401, "an Apply whose actor is not the key's owner");
    unchanged(j, &main, mr).await;
}

/// bob offers an MR to a TicketTracker of alice's: a Reject that says where MRs go, and no
/// ticket.
async fn a_ticket_tracker_refuses_an_mr(j: &Journey, fork: &str) {
    let factory = j.a.at("/factories/main");
    let grant =
        j.a.grant_on("alice", &factory, "active", 10)
            .await
            .expect("Grant");
    let alices = (factory.as_str(), grant["id"].as_str().unwrap_or_default());
    let kind = ("TicketTracker", "Tree Sim Issues");
    let issues = result(&create(&j.a, "alice", alices, kind, json!({})).await);
    let origin = crate::forge::branch(fork, "fix");
    let offer = json!({"type": "Offer", "to": [issues], "target": issues,
        "object": {"type": "Ticket", "summary": "An MR", "content": "<p>x</p>",
            "attachment": {"type": "Offer", "origin": origin,
                "target": crate::forge::branch(&j.repo, "main")}}});
    let (_, answer) = post(&j.b, "bob", &issues, &offer).await;
    rejected(
        &answer,
        "merge requests go to the repository's sendPatchesTo",
    );
    assert_eq!(j.a.total(&format!("{issues}/tickets"), None).await, 0);
}

/// bob's branch `clash` and alice's `main` both change `file0.txt`: alice's Apply is a Reject
/// naming the conflict, `main` stays at her tip.
async fn a_conflict_is_refused(j: &Journey, fork: &str) {
    let dir = &j.bob_work;
    ok(j.bob_git
        .git(dir, &["checkout", "-q", "-B", "clash", "origin/main"]));
    commit(dir, "file0.txt", "bob's version");
    ok(j.bob_git.git(dir, &["push", "-q", "origin", "clash"]));
    let mr = bob_opens(j, fork, "clash").await;
    commit(&j.alice_work, "file0.txt", "alice's version");
    let url = j.alice_git.url(&path_of(&j.repo));
    ok(j.alice_git
        .git(&j.alice_work, &["push", "-q", &url, "main"]));
    let main = rev(&j.alice_work, "main");
    let alice = j.a.at("/people/alice");
    let (_, answer) = post(
        &j.a,
        "alice",
        &j.tracker,
        &apply(j, &alice, &mr, &j.alice_on_tracker),
    )
    .await;
    rejected(&answer, "conflict");
    let summary = answer["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains("file0.txt"),
        "the conflicting path is named: {summary}"
    );
    unchanged(j, &main, &mr).await;
}

/// bob's private fork: the tracker (on A, holding no Grant on it) cannot read it, so his MR
/// from it is a Reject and no MR is made.
async fn a_private_fork_is_refused(j: &Journey) {
    let factory = (j.b_factory.0.as_str(), j.b_factory.1.as_str());
    let extra = json!({"origin": j.repo, "visibility": "private"});
    let secret = result(&create(&j.b, "bob", factory, ("Repository", "Secret"), extra).await);
    let mrs = format!("{}/merge-requests", j.tracker);
    let before = j.a.total(&mrs, None).await;
    let offer = json!({"type": "Offer", "to": [j.tracker], "target": j.tracker,
        "object": {"type": "Ticket", "summary": "From a secret", "content": "<p>x</p>",
            "attachment": {"type": "Offer", "origin": crate::forge::branch(&secret, "main"),
                "target": crate::forge::branch(&j.repo, "main")}}});
    let (_, answer) = post(&j.b, "bob", &j.tracker, &offer).await;
    assert_eq!(answer["type"], "Reject", "{answer}");
    assert_eq!(j.a.total(&mrs, None).await, before);
}

/// alice's private repository "Vault" on A, linked to the same tracker (so the tracker may read
/// it): carol, who may not read it, offers its `main` into the public repository and is
/// refused (its branch would land where everyone reads it); alice, its admin, may.
async fn a_private_origin_needs_the_authors_grant(j: &Journey) {
    let factory = j.a.at("/factories/main");
    let grant = j.a.grant_on("alice", &factory, "active", 10).await;
    let grant = grant.expect("alice's Grant on A's Factory")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let private = json!({"visibility": "private"});
    let kind = ("Repository", "Vault");
    let vault = result(&create(&j.a, "alice", (&factory, &grant), kind, private).await);
    let on_vault = j.a.grant_on("alice", &vault, "active", 10).await;
    let on_vault = on_vault.expect("a Grant")["id"]
        .as_str()
        .unwrap()
        .to_string();
    links_too(j, &vault, &on_vault).await;
    let url = j.alice_git.url(&path_of(&vault));
    ok(j.alice_git
        .git(&j.alice_work, &["push", "-q", &url, "main"]));
    let mrs = format!("{}/merge-requests", j.tracker);
    let before = j.a.total(&mrs, None).await;
    let offer = json!({"type": "Offer", "to": [j.tracker], "target": j.tracker,
        "object": {"type": "Ticket", "summary": "From the vault", "content": "<p>x</p>",
            "attachment": {"type": "Offer", "origin": crate::forge::branch(&vault, "main"),
                "target": crate::forge::branch(&j.repo, "main")}}});
    let (_, answer) = post(&j.c, "carol", &j.tracker, &offer).await;
    rejected(&answer, "cannot be read");
    assert_eq!(j.a.total(&mrs, None).await, before, "no MR from the vault");
    let (_, answer) = post(&j.a, "alice", &j.tracker, &offer).await;
    assert_eq!(answer["type"], "Accept", "its admin may: {answer}");
}

/// The tracker also linked to `repo` (alice invites it with `on_repo` and accepts for it; a
/// private repository's document is not read anonymously, the tracker's is).
async fn links_too(j: &Journey, repo: &str, on_repo: &str) {
    let invite = json!({"type": "Invite", "object": j.tracker, "instrument": "write",
        "target": repo, "capability": on_repo});
    let invite_id = crate::forge::send(&j.a, "alice", &invite).await;
    let accept = json!({"type": "Accept", "object": invite_id, "to": [j.tracker],
        "capability": j.alice_on_tracker});
    crate::forge::send(&j.a, "alice", &accept).await;
    let linked = crate::common::eventually(20, || async {
        let tracks = doc(&j.a, &j.tracker).await["tracksPatchesFor"].clone();
        tracks
            .as_array()
            .is_some_and(|t| t.iter().any(|r| r == repo))
    });
    assert!(linked.await, "the tracker is linked to {repo} too");
}
