//! Git over SSH with the real `git` and OpenSSH `ssh` binaries: push, clone (SSH and HTTP) and
//! fetch; refusals (no Grant, unknown key, bad commands); Push activities reaching a follower on
//! another instance; and serialized pushes per repository.

mod common;

use common::forge::{create_via_factory, with_repo, B_SETTINGS};
use common::git::{commit, git_in, ok, rev, work_tree, GitUser};
use common::{eventually, Instance};
use serde_json::{json, Value};

fn path_of(repo: &str) -> String {
    url::Url::parse(repo).unwrap().path().to_string()
}

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

fn intervals(log: &Value) -> Vec<(u64, u64)> {
    let mut v: Vec<(u64, u64)> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["startedMs"].as_u64().unwrap(),
                p["endedMs"].as_u64().unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn pushes_to_one_repository_never_overlap_but_other_repositories_do_not_wait() {
    let (w, alice, repo) = with_repo("Busy").await;
    let token = w.a.login("alice").await;
    let grant =
        w.a.grant_on("alice", &w.factory, "active", 5)
            .await
            .unwrap();
    let other = create_via_factory(
        &w.a,
        "alice",
        &w.factory,
        "Repository",
        "Other",
        grant["id"].as_str(),
    )
    .await;
    let other = other["result"].as_str().unwrap().to_string();
    let _ = token;
    let tmp = tempfile::tempdir().unwrap();
    let src = work_tree(tmp.path(), "src", 1);
    ok(alice.git(&src, &["push", &alice.url(&path_of(&repo)), "main"]));
    ok(alice.git(&src, &["push", &alice.url(&path_of(&other)), "main"]));

    // 20 branches, each with its own commit, pushed at once to `repo`; 10 at once to `other`.
    let mut jobs = Vec::new();
    for i in 0..30 {
        let dir = tmp.path().join(format!("w{i}"));
        ok(git_in(
            tmp.path(),
            &["clone", "-q", src.to_str().unwrap(), dir.to_str().unwrap()],
            None,
        ));
        commit(&dir, &format!("b{i}.txt"), &format!("branch {i}"));
        let target = if i < 20 {
            path_of(&repo)
        } else {
            path_of(&other)
        };
        let url = alice.url(&target);
        let ssh = alice.ssh_command();
        jobs.push(std::thread::spawn(move || {
            git_in(
                &dir,
                &["push", &url, &format!("HEAD:refs/heads/b{i}")],
                Some(&ssh),
            )
        }));
    }
    for j in jobs {
        ok(j.join().unwrap());
    }
    let out = ok(alice.git(tmp.path(), &["ls-remote", &alice.url(&path_of(&repo))]));
    assert_eq!(
        out.lines().filter(|l| l.contains("refs/heads/b")).count(),
        20,
        "all 20 landed"
    );
    let bare = w.a.data_dir().join("repos/busy.git");
    ok(git_in(&bare, &["fsck", "--strict"], None));

    let (_, log) = w.a.get_ap(&format!("{repo}/pushes")).await;
    let one = intervals(&log);
    assert_eq!(one.len(), 21);
    for pair in one.windows(2) {
        assert!(
            pair[1].0 >= pair[0].1,
            "two pushes of one repository overlapped: {pair:?}"
        );
    }
    assert_eq!(
        intervals(&w.a.get_ap(&format!("{other}/pushes")).await.1).len(),
        11
    );

    // While a receive-pack session holds `repo` (its client has read the advertisement and
    // sends nothing), a push to `other` completes, and a second push to `repo` waits for it.
    let mut held = alice.ssh_spawn(&format!("git-receive-pack '{}'", path_of(&repo)));
    let mut first = [0u8; 4];
    std::io::Read::read_exact(held.stdout.as_mut().unwrap(), &mut first)
        .expect("the held session gets the advertisement");
    let dir = tmp.path().join("w0");
    let push_in_background = |target: &str, branch: &str| {
        let (tx, rx) = std::sync::mpsc::channel();
        let (dir, url, ssh) = (
            dir.clone(),
            alice.url(&path_of(target)),
            alice.ssh_command(),
        );
        let refspec = format!("HEAD:refs/heads/{branch}");
        std::thread::spawn(move || {
            let _ = tx.send(git_in(&dir, &["push", &url, &refspec], Some(&ssh)));
        });
        rx
    };
    let to_other = push_in_background(&other, "while-held");
    ok(to_other
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("a push to another repository does not wait for the held one"));
    let done = push_in_background(&repo, "after-held");
    assert!(
        done.recv_timeout(std::time::Duration::from_secs(2))
            .is_err(),
        "a second push to the held repository did not wait for the first"
    );
    drop(held.stdin.take()); // the held client ends its session without commands
    let _ = held.wait();
    ok(done
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the waiting push went through once the repository was free"));
}

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

    // alice (admin of the repository) invites bob to write; bob accepts from B.
    let alice_token = w.a.login("alice").await;
    let admin = w.a.grant_on("alice", &repo, "active", 10).await.unwrap();
    let (s, body) =
        w.a.post_outbox(
            "alice",
            &alice_token,
            &json!({"type": "Invite", "object": bob, "instrument": "write",
            "target": repo, "capability": admin["id"]}),
        )
        .await;
    assert_eq!(s, 201);
    let invite = body["id"].as_str().unwrap().to_string();
    assert!(b
        .find_in_inbox("bob", &bob_token, 10, |v| v["id"] == invite)
        .await
        .is_some());
    let (s, _) = b
        .post_outbox(
            "bob",
            &bob_token,
            &json!({"type": "Accept", "object": invite}),
        )
        .await;
    assert_eq!(s, 201);
    assert!(b.grant_on("bob", &repo, "active", 10).await.is_some());

    ok(bob_git.git(&theirs, &["push", &bob_git.url(&path_of(&repo)), "main"]));
    let (_, log) = w.a.get_ap(&format!("{repo}/pushes")).await;
    assert_eq!(log["items"][1]["pusher"], bob, "the push is bob's, from B");
    assert_eq!(log["items"][1]["updates"][0]["after"], rev(&theirs, "HEAD"));
}
