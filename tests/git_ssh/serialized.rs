//! Pushes to one repository are serialized (never overlap, all land, the repository stays
//! sound) while pushes to another repository do not wait.

use crate::common::forge::{create_via_factory, with_repo};
use crate::common::git::{commit, git_in, ok, path_of, work_tree, GitUser};
use serde_json::Value;
use std::path::Path;

/// The (start, end) of every push in a push log, in order.
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

    thirty_pushes_at_once(&alice, tmp.path(), &src, &repo, &other);
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

    a_held_session_blocks_only_its_repository(&alice, tmp.path(), &repo, &other);
}

/// 20 branches, each with its own commit, pushed at once to `repo`; 10 at once to `other`.
fn thirty_pushes_at_once(alice: &GitUser, tmp: &Path, src: &Path, repo: &str, other: &str) {
    let mut jobs = Vec::new();
    for i in 0..30 {
        let dir = tmp.join(format!("w{i}"));
        ok(git_in(
            tmp,
            &["clone", "-q", src.to_str().unwrap(), dir.to_str().unwrap()],
            None,
        ));
        commit(&dir, &format!("b{i}.txt"), &format!("branch {i}"));
        let target = if i < 20 {
            path_of(repo)
        } else {
            path_of(other)
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
}

/// While a receive-pack session holds `repo` (its client has read the advertisement and sends
/// nothing), a push to `other` completes, and a second push to `repo` waits for it.
fn a_held_session_blocks_only_its_repository(alice: &GitUser, tmp: &Path, repo: &str, other: &str) {
    let mut held = alice.ssh_spawn(&format!("git-receive-pack '{}'", path_of(repo)));
    let mut first = [0u8; 4];
    std::io::Read::read_exact(held.stdout.as_mut().unwrap(), &mut first)
        .expect("the held session gets the advertisement");
    let dir = tmp.join("w0");
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
    let to_other = push_in_background(other, "while-held");
    ok(to_other
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("a push to another repository does not wait for the held one"));
    let done = push_in_background(repo, "after-held");
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
