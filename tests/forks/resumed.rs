//! Durable git jobs and an origin that is not Orchard: bob forks a repository of another forge
//! (`fake_forge`: its document's `cloneUri` is elsewhere on its host, served by `git
//! http-backend`). The copy is held at the origin; B stops with the job in flight (the fork's mailbox
//! is held by the fetch, as by a push): the job is in B's database; B starts again and the copy completes: the fork has the origin's branches.

use crate::common::git::{commit, git_in, ok, work_tree};
use crate::common::{eventually, Instance};
use crate::fake_forge::FakeForge;
use crate::forking::{copied, fork, ls_remote, world_named, writer};
use actors::actor::git_job_store::JobStore;
use actors::actor::git_jobs::GitJobKind;
use serde_json::json;

/// The git jobs kept in a stopped instance's database.
pub fn stored_jobs(inst: &Instance) -> Vec<actors::actor::git_job_store::StoredJob> {
    let store = actors::Store::open(&inst.data_dir().join("db")).expect("open the database");
    JobStore::new(store).all().expect("read the stored jobs")
}

#[tokio::test]
async fn a_fork_of_another_forge_is_copied_from_its_clone_uri_across_a_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let src = work_tree(tmp.path(), "src", 2);
    ok(git_in(&src, &["checkout", "-q", "-b", "feature"], None));
    commit(&src, "feature.txt", "a feature");
    let forge = FakeForge::start(&src);
    let clone_uri = format!("{}/git/tree.git", forge.base);
    let origin_refs = ls_remote(tmp.path(), &clone_uri);
    assert_eq!(origin_refs.len(), 2, "{origin_refs:?}");

    let mut b = world_named("b").await;
    let grant = writer(&b, "bob").await;
    forge.stall(true);
    let answer = fork(&b, "bob", &grant, "Tree", json!(forge.repo())).await;
    assert_eq!(answer["type"], "Accept", "the origin was listed: {answer}");
    let fork_iri = answer["result"].as_str().unwrap().to_string();
    let held = eventually(20, || async { forge.stalled() > 0 });
    assert!(held.await, "the copy reached the origin and waits there");

    b.a.stop().await;
    let jobs = stored_jobs(&b.a);
    assert_eq!(jobs.len(), 1, "the copy is kept: {jobs:?}");
    let GitJobKind::Copy(copy) = &jobs[0].job.kind else {
        panic!("a copy: {jobs:?}")
    };
    assert_eq!(copy.origin.as_str(), forge.repo());
    assert!(copy.into.is_some(), "into the fork");

    forge.stall(false);
    b.a.restart().await;
    let doc = copied(&fork_iri).await;
    assert_eq!(doc["originCopy"], "copied", "{doc}");
    assert_eq!(doc["origin"], forge.repo());
    assert_eq!(ls_remote(tmp.path(), &fork_iri), origin_refs);
    b.a.stop().await;
    assert!(stored_jobs(&b.a).is_empty(), "answered, the job is gone");
}
