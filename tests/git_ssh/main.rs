//! Git over SSH with the real `git` and OpenSSH `ssh` binaries: push, clone (SSH and HTTP) and
//! fetch; refusals (no Grant, unknown key, bad commands); Push activities reaching a follower on
//! another instance; and serialized pushes per repository.

#[path = "../common/mod.rs"]
mod common;
mod remote_person;
mod serialized;

use common::forge::{with_repo, B_SETTINGS};
use common::git::{commit, git_in, ok, path_of, rev, work_tree, GitUser};
use common::{eventually, Instance};
use serde_json::json;

#[tokio::test]
async fn push_clone_over_ssh_and_http_and_fetch() {
    let (w, alice, repo) = with_repo("Tree Sim").await;
    let path = path_of(&repo);
    let tmp = tempfile::tempdir().unwrap();
    let src = work_tree(tmp.path(), "src", 3);
    ok(alice.git(&src, &["push", &alice.url(&path), "main"]));
    let head = rev(&src, "HEAD");

    // Clone over SSH.
    ok(alice.git(tmp.path(), &["clone", "-q", &alice.url(&path), "over-ssh"]));
    assert_eq!(rev(&tmp.path().join("over-ssh"), "HEAD"), head);
    assert!(tmp.path().join("over-ssh/file2.txt").exists());

    // Clone over HTTP (read-only smart HTTP, public repository).
    ok(git_in(
        tmp.path(),
        &["clone", "-q", &repo, "over-http"],
        None,
    ));
    assert_eq!(rev(&tmp.path().join("over-http"), "HEAD"), head);
    ok(git_in(
        tmp.path(),
        &[
            "-c",
            "protocol.version=0",
            "clone",
            "-q",
            &repo,
            "over-http-v0",
        ],
        None,
    ));
    assert_eq!(rev(&tmp.path().join("over-http-v0"), "HEAD"), head);

    // A second push, then fetch over both.
    commit(&src, "more.txt", "one more");
    ok(alice.git(&src, &["push", &alice.url(&path), "main"]));
    let head2 = rev(&src, "HEAD");
    let ssh_clone = tmp.path().join("over-ssh");
    ok(alice.git(&ssh_clone, &["fetch", "-q", "origin"]));
    assert_eq!(rev(&ssh_clone, "origin/main"), head2);
    let http_clone = tmp.path().join("over-http");
    ok(git_in(&http_clone, &["fetch", "-q", "origin"], None));
    assert_eq!(rev(&http_clone, "origin/main"), head2);

    // Pushing over HTTP is refused.
    let out = git_in(&src, &["push", &repo, "main"], None);
    assert!(!out.status.success());
    // The push log recorded both pushes.
    let (_, log) = w.a.get_ap(&format!("{repo}/pushes")).await;
    assert_eq!(log["totalItems"], 2);
    assert_eq!(log["items"][1]["updates"][0]["after"], head2);
}

#[tokio::test]
async fn refusals_leave_the_repository_unchanged() {
    let (w, alice, repo) = with_repo("Guarded").await;
    let path = path_of(&repo);
    let tmp = tempfile::tempdir().unwrap();
    let src = work_tree(tmp.path(), "src", 1);
    ok(alice.git(&src, &["push", &alice.url(&path), "main"]));
    let head = rev(&src, "HEAD");

    // bob has a key but no Grant on the repository: he may clone, not push.
    w.a.register("bob").await;
    let bob_token = w.a.login("bob").await;
    let bob = GitUser::register(&w.a, &bob_token).await;
    let theirs = work_tree(tmp.path(), "theirs", 2);
    let out = bob.git(&theirs, &["push", "-f", &bob.url(&path), "main"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("write"), "a clear message: {stderr}");
    ok(bob.git(tmp.path(), &["clone", "-q", &bob.url(&path), "bobs-clone"]));
    assert_eq!(
        rev(&tmp.path().join("bobs-clone"), "HEAD"),
        head,
        "the push changed nothing"
    );

    // An unknown key cannot even connect.
    let stranger = GitUser::unknown(&w.a);
    let out = stranger.git(tmp.path(), &["clone", "-q", &stranger.url(&path), "nope"]);
    assert!(!out.status.success());

    // Bad commands are refused with a message and a non-zero exit.
    for command in [
        "ls -la",
        "git-upload-pack '../../etc'",
        "git-upload-pack '/etc/passwd'",
        "git-receive-pack '/repos/guarded'; rm -rf /",
        "git-upload-pack '/repos/nothing-here'",
        "sh -c id",
    ] {
        let out = alice.ssh(command);
        assert!(!out.status.success(), "{command} was accepted");
        assert!(!out.stderr.is_empty(), "{command}: a message on stderr");
    }
    let out = alice.ssh("");
    assert!(!out.status.success(), "a shell is refused");
    let (_, log) = w.a.get_ap(&format!("{repo}/pushes")).await;
    assert_eq!(log["totalItems"], 1, "only alice's push happened");
}

#[tokio::test]
async fn a_follower_on_another_instance_receives_the_push() {
    let (w, alice, repo) = with_repo("Followed").await;
    let b = Instance::start("b", B_SETTINGS).await;
    b.register("bob").await;
    let bob_token = b.login("bob").await;
    let (s, _) = b
        .post_outbox(
            "bob",
            &bob_token,
            &json!({"type": "Follow", "object": repo}),
        )
        .await;
    assert_eq!(s, 201);
    let followers = format!("{repo}/followers");
    assert!(eventually(10, || async { w.a.total(&followers, None).await == 1 }).await);

    let tmp = tempfile::tempdir().unwrap();
    let src = work_tree(tmp.path(), "src", 2);
    ok(alice.git(&src, &["push", &alice.url(&path_of(&repo)), "main"]));
    let push = b
        .find_in_inbox("bob", &bob_token, 15, |v| v["type"] == "Push")
        .await
        .expect("bob received the Push");
    assert_eq!(push["actor"], repo);
    assert_eq!(push["context"], repo);
    assert_eq!(push["attributedTo"], w.a.at("/people/alice"));
    assert_eq!(push["target"]["ref"], "refs/heads/main");
    assert_eq!(push["hashAfter"], rev(&src, "HEAD"));
    assert_eq!(
        push["hashBefore"],
        "0000000000000000000000000000000000000000"
    );
    let items = push["object"]["orderedItems"].as_array().unwrap();
    assert_eq!(push["object"]["totalItems"], 2);
    assert_eq!(items[0]["hash"], rev(&src, "HEAD"), "newest first");
    assert_eq!(items[1]["hash"], rev(&src, "HEAD~1"));
    assert_eq!(items[0]["summary"], "commit 1 of src");
    assert_eq!(items[0]["type"], "Commit");
    // The typed model reads it.
    let typed: schema::Activity = serde_json::from_value(push.clone()).unwrap();
    assert_eq!(typed.kind, "Push");
}
