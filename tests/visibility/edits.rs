//! An admin's Edit (and Vervis's Patch) of a repository's name, summary and default branch:
//! all fields or none, followers get the Update of the document, a fresh clone checks out the
//! new default branch; a bad field or a sender without a Grant changes nothing.

use crate::calls::*;
use crate::common::eventually;
use crate::common::forge::with_repo;
use crate::common::git::{commit, git_in, ok, path_of, work_tree};
use crate::common::remote::{FakeRemote, Sign};
use serde_json::json;

#[tokio::test]
async fn an_admin_edits_name_and_summary_and_followers_get_the_update() {
    let (w, _alice, repo) = with_repo("Plain").await;
    let cap = admin_grant(&w.a, "alice", &repo).await;
    let remote = FakeRemote::start();
    let follow = json!({"@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/follow", remote.actor("mallory")),
        "type": "Follow", "actor": remote.actor("mallory"), "object": repo});
    let body = serde_json::to_vec(&follow).unwrap();
    let (s, _) = remote
        .post(&format!("{repo}/inbox"), &body, &Sign::by("mallory"))
        .await;
    assert_eq!(s, 202);

    // A bad field refuses the whole Edit: the name does not change either.
    let bad = json!({"type": "Edit", "to": [repo], "capability": cap,
        "object": {"id": repo, "name": "Renamed", "visibility": "secret"}});
    let id = post(&w.a, "alice", bad).await;
    assert_eq!(answer_to(&w.a, "alice", &id, &repo).await["type"], "Reject");
    assert_eq!(get(&repo).await.1["name"], "Plain");

    let patch = json!({"type": "Patch", "to": [repo], "capability": cap,
        "object": {"id": repo, "name": "Renamed", "summary": "A new summary"}});
    post(&w.a, "alice", patch).await;
    let renamed = || async { get(&repo).await.1["name"] == "Renamed" };
    assert!(eventually(10, renamed).await, "the Patch was applied");
    assert_eq!(get(&repo).await.1["summary"], "A new summary");
    let updated = || async {
        remote.received().iter().any(|(_, _, v)| {
            v["type"] == "Update" && v["object"]["id"] == repo && v["object"]["name"] == "Renamed"
        })
    };
    assert!(eventually(15, updated).await, "the follower got the Update");

    // Without a Grant: refused, nothing changed.
    w.a.register("bob").await;
    let by_bob = json!({"type": "Edit", "to": [repo], "object": {"id": repo, "name": "Bob's"}});
    let id = post(&w.a, "bob", by_bob).await;
    assert_eq!(answer_to(&w.a, "bob", &id, &repo).await["type"], "Reject");
    assert_eq!(get(&repo).await.1["name"], "Renamed");
}

#[tokio::test]
async fn an_admin_sets_the_default_branch_and_a_fresh_clone_checks_it_out() {
    let (w, alice, repo) = with_repo("Branches").await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = work_tree(tmp.path(), "w", 1);
    let url = alice.url(&path_of(&repo));
    ok(alice.git(&dir, &["push", "-q", &url, "main"]));
    ok(git_in(&dir, &["checkout", "-q", "-b", "dev"], None));
    commit(&dir, "dev.txt", "on dev");
    ok(alice.git(&dir, &["push", "-q", &url, "dev"]));
    let cap = admin_grant(&w.a, "alice", &repo).await;
    for bad in [json!("nope"), json!("a..b"), json!(3), json!("HEAD")] {
        let edit = json!({"type": "Edit", "to": [repo], "capability": cap,
            "object": {"id": repo, "defaultBranch": bad}});
        let id = post(&w.a, "alice", edit).await;
        let answer = answer_to(&w.a, "alice", &id, &repo).await;
        assert_eq!(answer["type"], "Reject", "{bad}");
    }
    assert_eq!(get(&repo).await.1["defaultBranch"], "main");
    let edit = json!({"type": "Edit", "to": [repo], "capability": cap,
        "object": {"id": repo, "defaultBranch": "dev"}});
    post(&w.a, "alice", edit).await;
    let set = || async { get(&repo).await.1["defaultBranch"] == "dev" };
    assert!(eventually(10, set).await, "the default branch is dev");
    ok(alice.git(tmp.path(), &["clone", "-q", &url, "fresh"]));
    assert!(
        tmp.path().join("fresh/dev.txt").exists(),
        "the clone checked out dev"
    );
}
