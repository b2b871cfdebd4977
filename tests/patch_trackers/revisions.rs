//! Versions and merging, with real git over SSH: the merge request's origin branch (a fork on
//! A) is fetched into the target repository as version 1, a push to it makes version 2, an
//! Apply by the tracker's admin merges it; refusals: Apply without `write`, Apply to another
//! branch, an origin the tracker cannot read (a private repository: Reject, no merge request).
//! These need the git-job worker (`flows::git_jobs`) and the Repository's `Merge`.

use crate::common::eventually;
use crate::common::git::{commit, ok, path_of, rev, work_tree, GitUser};
use crate::forge::{forge, make, rejected, Forge};
use serde_json::{json, Value};
use std::path::Path;

/// Pushes `main` of `dir` to `repo`, and `branch` with one more commit when given.
pub fn push(git: &GitUser, dir: &Path, repo: &str, branch: Option<&str>) {
    let url = git.url(&path_of(repo));
    ok(git.git(dir, &["push", "-q", &url, "main"]));
    if let Some(b) = branch {
        ok(git.git(dir, &["checkout", "-q", "-B", b]));
        commit(dir, &format!("{b}.txt"), &format!("work on {b}"));
        ok(git.git(dir, &["push", "-q", "-f", &url, b]));
        ok(git.git(dir, &["checkout", "-q", "main"]));
    }
}

/// bob's Offer of a merge request from `origin`'s branch `fix` into the repository's `main`.
fn offer(f: &Forge, bob: &str, origin: &str) -> Value {
    json!({"type": "Offer", "to": [f.tracker], "target": f.tracker,
        "object": {"type": "Ticket", "attributedTo": bob, "summary": "Fix it",
            "content": "<p>please</p>", "attachment": {"type": "Offer",
            "origin": {"type": "Branch", "context": origin, "ref": "refs/heads/fix"},
            "target": {"type": "Branch", "context": f.repo, "ref": "refs/heads/main"}}}})
}

/// The latest version's commit in a merge request document.
fn head_of(doc: &Value) -> Option<String> {
    doc["attachment"]["object"]["target"]["hash"]
        .as_str()
        .map(str::to_string)
}

#[tokio::test]
async fn versions_are_fetched_from_the_origin_and_apply_merges() {
    let f = forge(&["bob"]).await;
    let (a, b) = (&f.w.a, &f.b);
    let bob = b.at("/people/bob");
    let git = GitUser::register(a, &f.w.admin_token).await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = work_tree(tmp.path(), "w", 1);
    push(&git, &dir, &f.repo, None);
    let (fork, _) = make(&f.w, "Repository", "Fork").await;
    push(&git, &dir, &fork, Some("fix"));
    let v1 = rev(&dir, "fix");

    let (_, answer) = f.post(b, "bob", &offer(&f, &bob, &fork)).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    let mr = f.mr(1);
    let doc = a.get_ap(&mr).await.1;
    assert_eq!(head_of(&doc), Some(v1.clone()));
    let diff = doc["attachment"]["mrDiff"]["href"]
        .as_str()
        .unwrap_or_default();
    assert!(diff.ends_with(&format!("/compare/main...{v1}")), "{diff}");
    assert_eq!(a.get_ap(diff).await.0, 200);

    ok(git.git(&dir, &["checkout", "-q", "fix"]));
    commit(&dir, "more.txt", "more work");
    ok(git.git(&dir, &["push", "-q", &git.url(&path_of(&fork)), "fix"]));
    let v2 = rev(&dir, "fix");
    ok(git.git(&dir, &["checkout", "-q", "main"]));
    let revised = || async { head_of(&a.get_ap(&mr).await.1) == Some(v2.clone()) };
    assert!(eventually(20, revised).await, "version 2 recorded");
    assert_eq!(a.get_ap(&format!("{mr}/versions/2")).await.0, 200);
    refused_applies(&f, &mr).await;

    let apply = json!({"type": "Apply", "object": mr, "to": [f.tracker],
        "target": {"type": "Branch", "context": f.repo, "name": "main", "ref": "refs/heads/main"},
        "capability": f.tracker_grant});
    let (_, answer) = f.post(a, "admin", &apply).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    let doc = a.get_ap(&mr).await.1;
    assert_eq!(
        (&doc["isMerged"], &doc["isResolved"]),
        (&json!(true), &json!(true))
    );
    let main = ok(git.git(
        tmp.path(),
        &["ls-remote", &git.url(&path_of(&f.repo)), "main"],
    ));
    let merge = doc["mergeCommit"].as_str().unwrap_or_default().to_string();
    assert!(
        main.starts_with(&merge) && !merge.is_empty(),
        "{main} / {merge}"
    );
    let reopen = json!({"type": "Undo", "to": [f.tracker], "capability": f.tracker_grant,
        "object": {"type": "Resolve", "actor": f.w.admin, "object": mr}});
    rejected(&f.post(a, "admin", &reopen).await.1, "cannot be reopened");
    private_origin_is_refused(&f, &git, &dir).await;
}

/// Apply without a Grant, and to another branch: Rejects; nothing merged.
async fn refused_applies(f: &Forge, mr: &str) {
    let apply = json!({"type": "Apply", "object": mr, "to": [f.tracker], "target": f.repo});
    rejected(&f.post(&f.b, "bob", &apply).await.1, "needs a capability");
    let other = json!({"type": "Apply", "object": mr, "to": [f.tracker],
        "target": {"type": "Branch", "context": f.repo, "ref": "refs/heads/dev"},
        "capability": f.tracker_grant});
    rejected(
        &f.post(&f.w.a, "admin", &other).await.1,
        "not the merge request's target",
    );
    assert_eq!(f.w.a.get_ap(mr).await.1["isMerged"], false);
}

/// An origin the tracker may not read (a private repository): Reject, no merge request.
async fn private_origin_is_refused(f: &Forge, git: &GitUser, dir: &Path) {
    let (a, b) = (&f.w.a, &f.b);
    let create = json!({"type": "Create", "to": [f.w.factory], "capability": f.w.admin_grant,
        "object": {"type": "Repository", "name": "Secret", "visibility": "private"}});
    f.send(a, "admin", &create).await;
    let secret = a.at("/repos/secret");
    let made = || async { a.grant_on("admin", &secret, "active", 1).await.is_some() };
    assert!(eventually(15, made).await, "the private repository exists");
    push(git, dir, &secret, Some("fix"));
    let before = f.mrs().await;
    let (_, answer) = f
        .post(b, "bob", &offer(f, &b.at("/people/bob"), &secret))
        .await;
    rejected(&answer, "the origin branch cannot be read");
    assert_eq!(f.mrs().await, before);
}
