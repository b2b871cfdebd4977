//! Merge requests over real HTTP: A hosts a Repository and a PatchTracker made through its
//! Factory and linked by mutual consent (`sendPatchesTo` / `tracksPatchesFor`); bob on B opens a
//! merge request with the ForgeFed spec's Offer, comments on it, the tracker's admin closes and
//! reopens it. Every broken rule is a Reject that creates nothing: no attachment, an id, the
//! wrong tracker, a repository the tracker is not linked to (or no longer), a TicketTracker
//! offered a merge request.

#[path = "../common/mod.rs"]
mod common;
mod forge;
mod refusals;
mod revisions;
mod unlink;

use forge::{forge, rejected, vector, with, Forge};
use serde_json::{json, Value};

/// The spec's Offer of a merge request, from `author` to the forge's tracker and repository.
fn spec_offer(f: &Forge, author: &str, origin_repo: &str) -> Value {
    let spec = "https://dev.example/projects/game-of-life";
    let swaps = [
        (format!("{spec}/pr-tracker"), f.tracker.clone()),
        (format!("{spec}/repo"), f.repo.clone()),
        (spec.to_string(), f.tracker.clone()),
        (
            "https://forge.example/luke/game-of-life".into(),
            origin_repo.into(),
        ),
        ("https://forge.example/luke".into(), author.into()),
    ];
    let swaps: Vec<(&str, &str)> = swaps
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    vector("Offer-Ticket--opening-mr.json", &swaps)
}

#[tokio::test]
async fn the_spec_offer_opens_a_merge_request_that_is_discussed_closed_and_reopened() {
    let f = forge(&["bob"]).await;
    let (a, b) = (&f.w.a, &f.b);
    let bob = b.at("/people/bob");
    // The origin is a real fork (on A) with the spec's branch, so that it can be fetched.
    let bob_repo = fork_with_branch(&f, "fix-animation-bug").await;
    let (offer_id, answer) = f.post(b, "bob", &spec_offer(&f, &bob, &bob_repo)).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    assert_eq!(answer["object"]["id"], offer_id);
    let mr = f.mr(1);
    assert_eq!(answer["result"], mr);
    let (s, doc) = a.get_ap(&mr).await;
    assert_eq!(s, 200, "{doc}");
    let expected = json!({"type": "Ticket", "id": mr, "context": f.tracker,
        "attributedTo": bob, "summary": "Fix the animation bug", "isResolved": false,
        "isMerged": false, "content": "<p>Please review, thanks!</p>",
        "followers": format!("{mr}/followers"), "replies": format!("{mr}/discussion")});
    for (k, v) in expected.as_object().unwrap() {
        assert_eq!(&doc[k], v, "{k}");
    }
    assert_eq!(doc["source"]["content"], "Please review, thanks!");
    let offer = &doc["attachment"];
    assert_eq!(offer["type"], "Offer");
    assert_eq!(offer["isWip"], false);
    assert_eq!(
        (&offer["origin"]["context"], &offer["origin"]["ref"]),
        (&json!(bob_repo), &json!("refs/heads/fix-animation-bug"))
    );
    assert_eq!(
        (&offer["target"]["context"], &offer["target"]["ref"]),
        (&json!(f.repo), &json!("refs/heads/main"))
    );
    let version = format!("{mr}/versions/1");
    assert_eq!(offer["object"]["id"], version);
    the_patches_are_served(&f, &version, &bob).await;
    assert_eq!(f.mrs().await, 1);
    discuss_close_and_reopen(&f, &mr).await;
}

/// A repository "Fork" on A, with `main` and `branch` pushed over SSH by the admin.
async fn fork_with_branch(f: &Forge, branch: &str) -> String {
    let git = common::git::GitUser::register(&f.w.a, &f.w.admin_token).await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::git::work_tree(tmp.path(), "w", 1);
    let (fork, _) = forge::make(&f.w, "Repository", "Fork").await;
    revisions::push(&git, &dir, &fork, Some(branch));
    fork
}

/// Version 1 lists the spec's Patch, attributed to its author.
async fn the_patches_are_served(f: &Forge, version: &str, author: &str) {
    let (s, v) = f.w.a.get_ap(version).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["type"], "OrderedCollection");
    assert_eq!(v["totalItems"], 1);
    let patch = &v["orderedItems"][0];
    assert_eq!(patch["type"], "Patch");
    assert_eq!(patch["mediaType"], "application/x-git-patch");
    assert_eq!(patch["attributedTo"], author);
    assert_eq!(patch["context"], version);
    let content = patch["content"].as_str().unwrap_or_default();
    assert!(content.starts_with("From c9ae5f4ff4a330b6e1196ceb7db1665bd4c1"));
    let missing = format!("{}/versions/2", version.trim_end_matches("/versions/1"));
    assert_eq!(f.w.a.get_ap(&missing).await.0, 404);
}

/// bob comments; the admin closes the merge request (Resolve) and reopens it (Undo{Resolve}).
async fn discuss_close_and_reopen(f: &Forge, mr: &str) {
    let (a, b) = (&f.w.a, &f.b);
    let note = json!({"type": "Create", "to": [f.tracker],
        "object": {"type": "Note", "context": mr, "content": "<p>Rebased on main</p>"}});
    let create = f.send(b, "bob", &note).await;
    let token = b.login("bob").await;
    let announced = b
        .find_in_inbox("bob", &token, 15, |v| {
            v["type"] == "Announce" && v["object"]["id"] == create
        })
        .await;
    assert_eq!(announced.expect("Announce")["context"], mr);
    let notes = a.collection(&format!("{mr}/discussion"), None).await;
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["id"], format!("{mr}/comments/1"));
    assert_eq!(a.get_ap(&format!("{mr}/comments/1")).await.0, 200);
    let followers = a.collection(&format!("{mr}/followers"), None).await;
    assert_eq!(followers, vec![json!(b.at("/people/bob"))]);

    let resolve = json!({"type": "Resolve", "object": mr, "to": [f.tracker],
                         "capability": f.tracker_grant});
    rejected(
        &f.post(
            b,
            "bob",
            &with(resolve.clone(), json!({"capability": null})),
        )
        .await
        .1,
        "needs a capability",
    );
    let (resolve_id, answer) = f.post(a, "admin", &resolve).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    let doc = a.get_ap(mr).await.1;
    assert_eq!(
        (&doc["isResolved"], &doc["resolvedBy"]),
        (&json!(true), &json!(f.w.admin))
    );
    let undo = json!({"type": "Undo", "object": resolve_id, "to": [f.tracker],
                      "capability": f.tracker_grant});
    let (_, answer) = f.post(a, "admin", &undo).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    assert_eq!(a.get_ap(mr).await.1["isResolved"], false);
}
