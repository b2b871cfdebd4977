//! A person of another instance, once granted `write`, pushes with the key their home lists on
//! their Person document (and not before).

use crate::common::forge::{with_repo, B_SETTINGS};
use crate::common::git::{commit, git_in, ok, path_of, rev, work_tree, GitUser};
use crate::common::Instance;
use serde_json::json;

#[tokio::test]
async fn a_remote_person_with_a_grant_pushes_with_the_key_their_home_lists() {
    let (w, alice, repo) = with_repo("Shared").await;
    let b = Instance::start("b", B_SETTINGS).await;
    let bob = b.register("bob").await;
    let bob_token = b.login("bob").await;
    // bob's key is registered only at home, on B; B lists it on his Person document.
    let bob_git = GitUser::register(&b, &bob_token).await;
    let bob_git = GitUser {
        ssh_port: w.a.ssh_port,
        ..bob_git
    };
    let (_, doc) = b.get_ap(&bob).await;
    assert_eq!(doc["sshKey"][0]["type"], "SshPublicKey");
    let tmp = tempfile::tempdir().unwrap();
    let src = work_tree(tmp.path(), "src", 1);
    ok(alice.git(&src, &["push", &alice.url(&path_of(&repo)), "main"]));

    // Without a Grant on A, bob's key is unknown there.
    let theirs = tmp.path().join("theirs");
    ok(git_in(
        tmp.path(),
        &[
            "clone",
            "-q",
            src.to_str().unwrap(),
            theirs.to_str().unwrap(),
        ],
        None,
    ));
    commit(&theirs, "bob.txt", "bob was here");
    let out = bob_git.git(&theirs, &["push", &bob_git.url(&path_of(&repo)), "main"]);
    assert!(!out.status.success(), "no Grant, no push");

    alice_grants_bob_write(&w.a, &b, &bob, &bob_token, &repo).await;

    ok(bob_git.git(&theirs, &["push", &bob_git.url(&path_of(&repo)), "main"]));
    let (_, log) = w.a.get_ap(&format!("{repo}/pushes")).await;
    assert_eq!(log["items"][1]["pusher"], bob, "the push is bob's, from B");
    assert_eq!(log["items"][1]["updates"][0]["after"], rev(&theirs, "HEAD"));
}

/// alice (admin of `repo` on `a`) invites bob to write; bob accepts from B.
async fn alice_grants_bob_write(
    a: &Instance,
    b: &Instance,
    bob: &str,
    bob_token: &str,
    repo: &str,
) {
    let alice_token = a.login("alice").await;
    let admin = a.grant_on("alice", repo, "active", 10).await.unwrap();
    let (s, body) = a
        .post_outbox(
            "alice",
            &alice_token,
            &json!({"type": "Invite", "object": bob, "instrument": "write",
            "target": repo, "capability": admin["id"]}),
        )
        .await;
    assert_eq!(s, 201);
    let invite = body["id"].as_str().unwrap().to_string();
    assert!(b
        .find_in_inbox("bob", bob_token, 10, |v| v["id"] == invite)
        .await
        .is_some());
    let (s, _) = b
        .post_outbox(
            "bob",
            bob_token,
            &json!({"type": "Accept", "object": invite}),
        )
        .await;
    assert_eq!(s, 201);
    assert!(b.grant_on("bob", repo, "active", 10).await.is_some());
}
