//! Forks on two real instances with the real git client: alice pushes branches and a tag to her
//! repository on A; bob on B forks it through B's Factory (the origin read over smart HTTP),
//! carol on A through A's Factory (read from disk). Each fork has the origin's refs, names its
//! `origin`, and alice's repository lists both in its `forks` collection. Refused, with nothing
//! created: a private origin forked by a stranger (local and remote), an origin that is not a
//! Repository, a malformed origin (`refusals`). A fork of another forge's repository, copied from
//! its `cloneUri`, whose copy survives a stop of the instance (`resumed`).

#[allow(dead_code)]
#[path = "../deletion/calls.rs"]
mod calls;
#[path = "../common/mod.rs"]
mod common;
mod fake_forge;
mod forking;
mod private;
mod refusals;
mod resumed;

use calls::get;
use common::git::{commit, git_in, ok, work_tree, GitUser};
use common::{eventually, Instance};
use forking::{copied, fork, ls_remote, world_named, writer};
use serde_json::json;
use std::path::Path;

/// The IRIs in a repository's `forks` collection.
async fn forks_of(inst: &Instance, repo: &str) -> Vec<String> {
    let items = inst.collection(&format!("{repo}/forks"), None).await;
    items
        .iter()
        .filter_map(|i| i.as_str().map(str::to_string))
        .collect()
}

/// alice's repository with two branches and a tag, pushed over SSH.
fn populate(alice: &GitUser, tmp: &Path, repo: &str) {
    let src = work_tree(tmp, "src", 2);
    ok(git_in(&src, &["tag", "v1"], None));
    ok(git_in(&src, &["checkout", "-q", "-b", "feature"], None));
    commit(&src, "feature.txt", "a feature");
    let url = alice.url(&common::git::path_of(repo));
    ok(alice.git(&src, &["push", "-q", &url, "main", "feature", "v1"]));
}

#[tokio::test]
async fn a_repository_is_forked_across_instances_and_locally() {
    let (a, alice, repo) = common::forge::with_repo("Tree").await;
    let tmp = tempfile::tempdir().unwrap();
    populate(&alice, tmp.path(), &repo);
    let origin_refs = ls_remote(tmp.path(), &repo);
    assert_eq!(origin_refs.len(), 3, "{origin_refs:?}");

    // bob on B forks it through B's Factory: copied over smart HTTP.
    let b = world_named("b").await;
    let bob_grant = writer(&b, "bob").await;
    let answer = fork(&b, "bob", &bob_grant, "Tree fork", json!(repo)).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    let remote_fork = answer["result"].as_str().unwrap().to_string();
    assert!(remote_fork.starts_with(&b.a.at("/repos/")), "{remote_fork}");
    let doc = copied(&remote_fork).await;
    assert_eq!(doc["originCopy"], "copied", "{doc}");
    assert_eq!(doc["origin"], repo.as_str());
    assert_eq!(ls_remote(tmp.path(), &remote_fork), origin_refs);
    let grant = b.a.grant_on("bob", &remote_fork, "active", 10).await;
    assert_eq!(grant.expect("bob administers the fork")["object"], "admin");

    // carol on A forks it through A's Factory: copied from disk.
    let carol_grant = writer(&a, "carol").await;
    let answer = fork(&a, "carol", &carol_grant, "Local fork", json!(repo)).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    let local_fork = answer["result"].as_str().unwrap().to_string();
    let doc = copied(&local_fork).await;
    assert_eq!(
        (&doc["originCopy"], &doc["origin"]),
        (&json!("copied"), &json!(repo))
    );
    assert_eq!(ls_remote(tmp.path(), &local_fork), origin_refs);

    // The origin lists both, newest first; its document names the collection.
    let (_, origin_doc) = get(&repo).await;
    assert_eq!(origin_doc["forks"], format!("{repo}/forks"));
    assert!(origin_doc.get("origin").is_none(), "the origin is no fork");
    let listed = eventually(15, || async { forks_of(&a.a, &repo).await.len() == 2 });
    assert!(
        listed.await,
        "both forks listed: {:?}",
        forks_of(&a.a, &repo).await
    );
    assert_eq!(
        forks_of(&a.a, &repo).await,
        [local_fork.clone(), remote_fork.clone()]
    );
    assert!(
        forks_of(&b.a, &remote_fork).await.is_empty(),
        "the fork has no forks"
    );

    refusals::refused(&a, &alice, &b, &bob_grant, &carol_grant, tmp.path()).await;
}
