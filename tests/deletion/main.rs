//! Deleting and archiving a repository on real instances, over real HTTP and real git: an
//! admin's Delete is Accepted to the followers and the admin, then every IRI of the repository
//! answers 410 with a Tombstone, git is refused, the bare directory is gone and the name stays
//! taken until an instance admin releases it; Deletes without the right Grant change nothing;
//! an archived repository refuses pushes and still serves clones.

#[path = "../common/mod.rs"]
mod common;

mod calls;
mod refusals;
mod s2s;

use calls::*;
use common::forge::{with_repo, World};
use common::git::{commit, ok, rev, work_tree, GitUser};
use common::remote::{FakeRemote, Sign};
use common::{client, eventually};
use serde_json::{json, Value};
use std::path::Path;

#[tokio::test]
async fn an_admin_deletes_a_repository_and_its_name_waits_for_release() {
    let (mut w, alice, repo) = with_repo("Doomed").await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = work_tree(tmp.path(), "w", 2);
    ok(push(&alice, &dir, &repo));
    let remote = FakeRemote::start();
    remote_follows(&remote, &repo).await;
    let owned = owned_iris(&remote, &repo, &rev(&dir, "HEAD")).await;
    let (_, doc) = get(&repo).await;
    let public_pem = doc["publicKey"]["publicKeyPem"]
        .as_str()
        .unwrap()
        .to_string();
    let bare = w.a.dir.path().join("repos/doomed.git");
    assert!(bare.exists());

    let old_grant = admin_grant(&w.a, "alice", &repo).await;
    let delete = post(&w.a, "alice", delete_of(&repo, &[], Some(&old_grant))).await;
    let answer = answer_to(&w.a, "alice", &delete, &repo).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    assert_eq!(answer["actor"], repo);
    followers_got_a_signed_accept(&remote, &delete, &public_pem).await;

    for url in &owned {
        gone_with_a_tombstone(url, &repo).await;
    }
    assert_eq!(get(&format!("{repo}/pushes")).await.0, 410);
    page_is_gone(&repo).await;
    let follow = json!({"id": format!("{}/activities/again", remote.actor("mallory")),
        "type": "Follow", "actor": remote.actor("mallory"), "object": repo});
    let body = serde_json::to_vec(&follow).unwrap();
    let (s, _) = remote
        .post(&format!("{repo}/inbox"), &body, &Sign::by("mallory"))
        .await;
    assert_eq!(s, 410, "a deleted repository's inbox is gone");
    git_is_refused(&alice, tmp.path(), &dir, &repo);
    assert!(!bare.exists(), "the bare repository was removed");

    let grant = factory_grant(&w).await;
    let other = create_as_alice(&w, "Doomed", &grant).await;
    assert_ne!(
        other, repo,
        "a deleted repository's name is not given again"
    );
    release_needs_an_instance_admin(&mut w, &repo).await;
    let again = create_as_alice(&w, "Doomed", &grant).await;
    assert_eq!(again, repo, "released, the name is free");
    let (s, doc) = get(&repo).await;
    assert_eq!((s, doc["type"].clone()), (200, json!("Repository")));
    assert_eq!(
        w.a.total(&format!("{repo}/outbox"), None).await,
        0,
        "nothing left over"
    );
    assert_eq!(w.a.total(&format!("{repo}/followers"), None).await, 0);
    old_grants_do_not_work_on_the_new_repository(&w, &repo, &old_grant).await;
}

/// The deleted repository's Grant names an activity the new one never issued: a Reject.
async fn old_grants_do_not_work_on_the_new_repository(w: &World, repo: &str, old: &str) {
    let id = post(&w.a, "alice", delete_of(repo, &[], Some(old))).await;
    let answer = answer_to(&w.a, "alice", &id, repo).await;
    assert_eq!(answer["type"], "Reject", "{answer}");
    assert_eq!(get(repo).await.0, 200);
}

/// The IRIs the repository owns (served now): itself, its key, collections, an activity (its
/// Accept of the remote's Follow), a commit, a branch.
async fn owned_iris(remote: &FakeRemote, repo: &str, head: &str) -> Vec<String> {
    let mut urls = vec![repo.to_string(), format!("{repo}/main-key")];
    for c in ["outbox", "followers", "likes", "grants", "inbox"] {
        urls.push(format!("{repo}/{c}"));
    }
    let received = remote.received();
    let activity = received[0].2["id"]
        .as_str()
        .expect("an activity")
        .to_string();
    assert!(activity.starts_with(repo));
    urls.push(activity);
    urls.push(format!("{repo}/commits/{head}"));
    urls.push(format!("{repo}/branches/main"));
    for url in urls[..4].iter().chain(&urls[urls.len() - 2..]) {
        assert_eq!(get(url).await.0, 200, "{url}");
    }
    urls
}

/// The follower got the Accept of the Delete, signed with the repository's key (now gone).
async fn followers_got_a_signed_accept(remote: &FakeRemote, delete: &str, pem: &str) {
    let got = || async {
        remote
            .received()
            .iter()
            .any(|(_, _, v)| answers(v, "Accept", delete))
    };
    assert!(eventually(15, got).await, "the follower got the Accept");
    let (path, headers, _) = remote
        .received()
        .into_iter()
        .find(|(_, _, v)| answers(v, "Accept", delete))
        .unwrap();
    let headers: Vec<(String, String)> = headers.into_iter().collect();
    let skew = std::time::Duration::from_secs(300);
    let pending =
        orchard::federation::signature::prepare_verify("POST", &path, &headers, true, skew)
            .unwrap();
    assert!(pending.verify(pem), "signed by the repository's key");
}

/// `url` answers 410 with a Tombstone of itself.
async fn gone_with_a_tombstone(url: &str, repo: &str) {
    let res = client()
        .get(url)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 410, "{url}");
    let doc: Value = res.json().await.unwrap();
    assert_eq!(doc["type"], "Tombstone", "{url}: {doc}");
    assert_eq!(doc["id"], url);
    assert!(doc["deleted"].is_string());
    if url == repo {
        assert_eq!(doc["formerType"], "Repository");
    } else {
        assert_eq!(doc["context"], repo);
    }
}

/// Clone over HTTP and SSH, push over SSH: refused, saying so.
fn git_is_refused(alice: &GitUser, parent: &Path, dir: &Path, repo: &str) {
    let said = "repository doomed was deleted";
    let http = failed(http_clone(parent, repo, "c1"));
    assert!(http.contains(said) && http.contains("410"), "{http}");
    let ssh = failed(ssh_clone(alice, parent, repo, "c2"));
    assert!(ssh.contains(said), "{ssh}");
    commit(dir, "late.txt", "too late");
    let pushed = failed(push(alice, dir, repo));
    assert!(pushed.contains(said), "{pushed}");
}

/// The release route: 401 without a token, 403 for alice, 204 for an instance admin (made one
/// by the operator; the tombstone survives the restart), then 404.
async fn release_needs_an_instance_admin(w: &mut World, repo: &str) {
    let id = repo.rsplit('/').next().unwrap();
    let url = w.a.at(&format!("/api/v1/admin/tombstones/repos/{id}"));
    let release = |token: Option<String>| {
        let mut req = client().delete(&url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        async move { req.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(release(None).await, 401);
    assert_eq!(release(Some(w.a.login("alice").await)).await, 403);
    w.a.stop().await;
    let role = actors::accounts::Role::Admin;
    orchard::cli::admin::set_role(&w.a.operator_settings(), "admin", role, true)
        .await
        .unwrap();
    w.a.restart().await;
    assert_eq!(get(repo).await.0, 410, "still deleted after a restart");
    let token = w.a.login("admin").await;
    let listed = client()
        .get(w.a.at("/api/v1/admin/tombstones"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let listed: Value = listed.json().await.unwrap();
    assert_eq!(listed["items"][0]["id"], repo, "{listed}");
    assert_eq!(release(Some(token.clone())).await, 204);
    assert_eq!(release(Some(token)).await, 404, "released already");
    assert_eq!(get(repo).await.0, 404);
}

/// The HTML face of a deleted repository answers 410 too.
async fn page_is_gone(repo: &str) {
    let page = reqwest::Client::new()
        .get(repo)
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(
        page.status(),
        410,
        "a deleted repository's page is gone too"
    );
}
