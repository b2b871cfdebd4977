//! Private repositories on real instances with the real git client: created private through a
//! Factory, a repository answers 404 (as one that does not exist) to an anonymous reader, a
//! local person without a Grant and a stranger's signed GET, for its document, collections, code
//! and clones over HTTP and SSH; its admin pushes and reads it; a remote grantee reads it with
//! signed GETs; an admin's Edit makes it public (a stranger's Edit changes nothing).

#[allow(dead_code)]
#[path = "../deletion/calls.rs"]
mod calls;
#[path = "../common/mod.rs"]
mod common;
mod edits;
mod remote_grantee;

use calls::*;
use common::forge::with_repo;
use common::git::{work_tree, GitUser};
use serde_json::{json, Value};

/// alice creates a private repository through the world's Factory; its IRI.
async fn create_private(w: &common::forge::World, name: &str) -> String {
    let grant = factory_grant(w).await;
    let create = json!({"type": "Create", "to": [w.factory], "capability": grant,
                        "object": {"type": "Repository", "name": name, "visibility": "private"}});
    let id = post(&w.a, "alice", create).await;
    let answer = answer_to(&w.a, "alice", &id, &w.factory).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    answer["result"].as_str().unwrap().to_string()
}

/// GET with a bearer token.
async fn get_as(url: &str, token: &str) -> (u16, Value) {
    let res = common::client()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// What an outsider gets for everything of `repo`: the 404 of a repository that does not exist.
async fn hidden_from_anonymous(repo: &str, api: &str) {
    for url in [
        repo.to_string(),
        format!("{repo}/main-key"),
        format!("{repo}/outbox"),
        format!("{repo}/followers"),
        format!("{api}/refs"),
        format!("{api}/tree/main"),
        format!("{api}/commits"),
        format!("{repo}/pushes"),
    ] {
        let (s, body) = get(&url).await;
        assert_eq!(s, 404, "{url}: {body}");
    }
    let origin = &repo[..repo.find("/repos/").unwrap()];
    let finger = format!("{origin}/.well-known/webfinger?resource={repo}");
    assert_eq!(get(&finger).await.0, 404, "webfinger does not name it");
    let (_, body) = get(repo).await;
    let id = repo.rsplit('/').next().unwrap();
    assert_eq!(
        body["error"],
        format!("no Repository named {id:?}"),
        "worded as for no repository"
    );
}

#[tokio::test]
async fn a_private_repository_is_seen_only_by_its_grantees() {
    let (w, alice, open) = with_repo("Open").await;
    let repo = create_private(&w, "Hidden").await;
    let id = repo.rsplit('/').next().unwrap().to_string();
    let api = w.a.at(&format!("/api/v1/repos/{id}"));
    let tmp = tempfile::tempdir().unwrap();
    let src = work_tree(tmp.path(), "src", 2);
    common::git::ok(push(&alice, &src, &repo));

    hidden_from_anonymous(&repo, &api).await;
    assert_eq!(
        get(&open).await.0,
        200,
        "a public repository is still public"
    );
    failed(http_clone(tmp.path(), &repo, "anon"));
    assert!(
        !tmp.path().join("anon/.git").exists(),
        "no anonymous HTTP clone"
    );

    hidden_from_a_local_stranger(&w, &repo, &api, (tmp.path(), &src)).await;

    // Its admin reads it, by token and by SSH clone.
    let alice_token = w.a.login("alice").await;
    let (s, doc) = get_as(&repo, &alice_token).await;
    assert_eq!((s, doc["visibility"].as_str()), (200, Some("private")));
    let (s, refs) = get_as(&format!("{api}/refs"), &alice_token).await;
    assert_eq!((s, refs["default_branch"].as_str()), (200, Some("main")));
    common::git::ok(ssh_clone(&alice, tmp.path(), &repo, "alices"));

    remote_grantee::reads_with_signed_gets(&w, &repo, &api).await;

    // A stranger's Edit changes nothing; the admin's makes it public.
    let edit = |cap: &str| {
        json!({"type": "Edit", "to": [repo], "capability": cap,
                                   "object": {"id": repo, "visibility": "public"}})
    };
    let grant = admin_grant(&w.a, "alice", &repo).await;
    post(&w.a, "bob", edit(&grant)).await;
    let bad = post(
        &w.a,
        "alice",
        json!({"type": "Edit", "to": [repo], "capability": grant,
                                         "object": {"id": repo, "visibility": "secret"}}),
    )
    .await;
    assert_eq!(
        answer_to(&w.a, "alice", &bad, &repo).await["type"],
        "Reject"
    );
    assert_eq!(get(&repo).await.0, 404, "still private");
    let made_public = post(&w.a, "alice", edit(&grant)).await;
    assert_eq!(answer_to_or_kept(&w, &made_public, &repo).await, 200);
    common::git::ok(http_clone(tmp.path(), &repo, "anyone"));
}

/// A local person without a Grant: by token, and over SSH (clone and push).
async fn hidden_from_a_local_stranger(
    w: &common::forge::World,
    repo: &str,
    api: &str,
    (tmp, src): (&std::path::Path, &std::path::Path),
) {
    let id = repo.rsplit('/').next().unwrap();
    w.a.register("bob").await;
    let bob_token = w.a.login("bob").await;
    assert_eq!(get_as(repo, &bob_token).await.0, 404);
    assert_eq!(get_as(&format!("{api}/refs"), &bob_token).await.0, 404);
    let bob = GitUser::register(&w.a, &bob_token).await;
    let refused = failed(ssh_clone(&bob, tmp, repo, "bobs"));
    assert!(
        refused.contains(&format!("no repository /repos/{id}")),
        "{refused}"
    );
    let refused = failed(push(&bob, src, repo));
    assert!(
        refused.contains(&format!("no repository /repos/{id}")),
        "{refused}"
    );
    // Following it would bring its activities: refused too.
    let follow = json!({"type": "Follow", "to": [repo], "object": repo});
    let follow = post(&w.a, "bob", follow).await;
    assert_eq!(
        answer_to(&w.a, "bob", &follow, repo).await["type"],
        "Reject"
    );
}

/// Waits until the repository is public again (an accepted Edit is not answered); its status.
async fn answer_to_or_kept(w: &common::forge::World, _edit: &str, repo: &str) -> u16 {
    let _ = w;
    for _ in 0..100 {
        let (s, _) = get(repo).await;
        if s == 200 {
            return s;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    404
}

#[tokio::test]
async fn vervis_patch_edits_a_repository_too() {
    let (w, _alice, repo) = with_repo("Patched").await;
    let grant = admin_grant(&w.a, "alice", &repo).await;
    let patch = json!({"type": "Patch", "to": [repo], "capability": grant,
                       "object": {"id": repo, "visibility": "private"}});
    post(&w.a, "alice", patch).await;
    let hidden = common::eventually(10, || async { get(&repo).await.0 == 404 });
    assert!(hidden.await, "the Patch made it private");
}
