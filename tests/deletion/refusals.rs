//! Deletes that must change nothing (a Reject or a 4xx, the repository still served and git
//! still working), and archiving: pushes refused with a message, refs unchanged, clones served,
//! un-archiving lets pushes through again.

use crate::calls::*;
use crate::common::eventually;
use crate::common::forge::with_repo;
use crate::common::git::{commit, ok, rev, work_tree};
use crate::common::remote::{FakeRemote, Sign};
use serde_json::{json, Value};

#[tokio::test]
async fn deletes_without_the_admin_grant_change_nothing() {
    let (w, alice, repo) = with_repo("Kept").await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = work_tree(tmp.path(), "w", 1);
    ok(push(&alice, &dir, &repo));
    let grant = admin_grant(&w.a, "alice", &repo).await;
    let other = create_as_alice(&w, "Other", &factory_grant(&w).await).await;
    let other_grant = admin_grant(&w.a, "alice", &other).await;
    w.a.register("bob").await;

    let refused = [
        ("bob", delete_of(&repo, &[], Some(&grant)), "not to"),
        ("alice", delete_of(&repo, &[], None), "needs a capability"),
        (
            "alice",
            delete_of(&repo, &[], Some(&other_grant)),
            "context",
        ),
        (
            "alice",
            delete_of(&other, &[&repo], Some(&grant)),
            "not this repository",
        ),
    ];
    for (who, delete, why) in refused {
        let id = post(&w.a, who, delete).await;
        let answer = answer_to(&w.a, who, &id, &repo).await;
        assert_eq!(answer["type"], "Reject", "{answer}");
        assert!(
            answer["summary"].as_str().unwrap().contains(why),
            "{answer}"
        );
    }
    let remote = FakeRemote::start();
    remote_signed_deletes_are_refused(&remote, &repo, &grant).await;
    for r in [&repo, &other] {
        let (s, doc) = get(r).await;
        assert_eq!((s, doc["type"].clone()), (200, json!("Repository")), "{r}");
    }
    ok(http_clone(tmp.path(), &repo, "clone"));
    commit(&dir, "more.txt", "more");
    ok(push(&alice, &dir, &repo));
    assert_eq!(remote_main(tmp.path(), &repo), rev(&dir, "HEAD"));
}

/// mallory's Delete with alice's Grant is Rejected to mallory; one with a forged signature (eve's
/// key for mallory) is a 401.
async fn remote_signed_deletes_are_refused(remote: &FakeRemote, repo: &str, grant: &str) {
    let delete = |n: u32| {
        json!({"@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}/activities/delete-{n}", remote.actor("mallory")),
            "type": "Delete", "actor": remote.actor("mallory"), "object": repo,
            "capability": grant})
    };
    let inbox = format!("{repo}/inbox");
    let body = serde_json::to_vec(&delete(1)).unwrap();
    let (s, res) = remote.post(&inbox, &body, &Sign::by("mallory")).await;
    assert_eq!(s, 202, "{res}");
    let id = delete(1)["id"].as_str().unwrap().to_string();
    let rejected = || async {
        remote
            .received()
            .iter()
            .any(|(_, _, v)| answers(v, "Reject", &id))
    };
    assert!(
        eventually(15, rejected).await,
        "mallory's Delete was Rejected"
    );
    let mut forged = Sign::by("mallory");
    forged.key_of = Some("eve".into());
    let body = serde_json::to_vec(&delete(2)).unwrap();
    let (s, _) = remote.post(&inbox, &body, &forged).await;
    assert_eq!(s, 401, "a forged signature");
}

#[tokio::test]
async fn an_archived_repository_refuses_pushes_and_serves_clones() {
    let (w, alice, repo) = with_repo("Museum").await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = work_tree(tmp.path(), "w", 1);
    ok(push(&alice, &dir, &repo));
    let before = rev(&dir, "HEAD");
    let grant = admin_grant(&w.a, "alice", &repo).await;
    assert_eq!(get(&repo).await.1["isArchived"], false);

    w.a.register("bob").await;
    let id = post(&w.a, "bob", archive(&repo, true, &grant)).await;
    assert_eq!(answer_to(&w.a, "bob", &id, &repo).await["type"], "Reject");
    let bad = json!({"type": "Edit", "object": {"id": repo, "isArchived": "yes"},
                     "capability": grant});
    let id = post(&w.a, "alice", bad).await;
    assert_eq!(answer_to(&w.a, "alice", &id, &repo).await["type"], "Reject");
    assert_eq!(get(&repo).await.1["isArchived"], false, "nothing changed");

    set_archived(&w.a, &repo, true, &grant).await;
    commit(&dir, "new.txt", "after archiving");
    let said = failed(push(&alice, &dir, &repo));
    assert!(said.contains("repository museum is archived"), "{said}");
    assert_eq!(remote_main(tmp.path(), &repo), before, "refs unchanged");
    ok(http_clone(tmp.path(), &repo, "clone"));
    assert_eq!(rev(&tmp.path().join("clone"), "HEAD"), before);

    set_archived(&w.a, &repo, false, &grant).await;
    ok(push(&alice, &dir, &repo));
    assert_eq!(remote_main(tmp.path(), &repo), rev(&dir, "HEAD"));
}

/// alice (admin) sets `isArchived`; waits until the document shows it.
async fn set_archived(a: &crate::common::Instance, repo: &str, archived: bool, grant: &str) {
    post(a, "alice", archive(repo, archived, grant)).await;
    let shown = || async { get(repo).await.1["isArchived"] == Value::Bool(archived) };
    assert!(
        eventually(10, shown).await,
        "isArchived {archived} is shown"
    );
}
