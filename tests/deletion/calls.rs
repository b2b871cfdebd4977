//! What the deletion tests do over and over: an admin's Grant on a repository, a Delete or an
//! Edit and its answer, a remote follower, pushes and clones with the real `git`.

use crate::common::forge::World;
use crate::common::git::{git_in, GitUser};
use crate::common::remote::{FakeRemote, Sign};
use crate::common::{eventually, Instance};
use serde_json::{json, Value};
use std::path::Path;
use std::process::Output;

/// The id of `user`'s active admin Grant on `repo`.
pub async fn admin_grant(inst: &Instance, user: &str, repo: &str) -> String {
    let grant = inst
        .grant_on(user, repo, "active", 10)
        .await
        .expect("an active Grant on the repository");
    assert_eq!(grant["object"], "admin");
    grant["id"].as_str().unwrap().to_string()
}

/// `user` posts `activity` to their outbox; answers its id.
pub async fn post(inst: &Instance, user: &str, activity: Value) -> String {
    let token = inst.login(user).await;
    let (s, body) = inst.post_outbox(user, &token, &activity).await;
    assert_eq!(s, 201, "{body}");
    body["id"].as_str().unwrap().to_string()
}

/// A Delete of `object` (addressed to `to` too), invoking `capability`.
pub fn delete_of(object: &str, to: &[&str], capability: Option<&str>) -> Value {
    let mut delete = json!({"type": "Delete", "object": object, "to": to});
    if let Some(c) = capability {
        delete["capability"] = json!(c);
    }
    delete
}

/// An Edit of `repo`'s `isArchived`.
pub fn archive(repo: &str, archived: bool, capability: &str) -> Value {
    json!({"type": "Edit", "object": {"id": repo, "isArchived": archived},
           "capability": capability})
}

/// Whether an answer's `object` is the activity `id` (by IRI or embedded).
pub fn answers(v: &Value, kind: &str, id: &str) -> bool {
    v["type"] == kind && (v["object"] == id || v["object"]["id"] == id)
}

/// The Accept or Reject `user` received from `from` for their activity `id`.
pub async fn answer_to(inst: &Instance, user: &str, id: &str, from: &str) -> Value {
    let token = inst.login(user).await;
    inst.find_in_inbox(user, &token, 15, |v| {
        v["actor"] == from && (answers(v, "Accept", id) || answers(v, "Reject", id))
    })
    .await
    .expect("an answer")
}

/// mallory on `remote` follows `repo` and is accepted.
pub async fn remote_follows(remote: &FakeRemote, repo: &str) {
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/follow", remote.actor("mallory")),
        "type": "Follow", "actor": remote.actor("mallory"), "object": repo,
    });
    let body = serde_json::to_vec(&follow).unwrap();
    let (s, res) = remote
        .post(&format!("{repo}/inbox"), &body, &Sign::by("mallory"))
        .await;
    assert_eq!(s, 202, "{res}");
    let accepted = || async {
        (remote.received().iter())
            .any(|(_, _, v)| answers(v, "Accept", follow["id"].as_str().unwrap()))
    };
    assert!(eventually(10, accepted).await, "the Follow was accepted");
}

/// `user` pushes `main` of `dir` over SSH to `repo`.
pub fn push(user: &GitUser, dir: &Path, repo: &str) -> Output {
    let url = user.url(&crate::common::git::path_of(repo));
    user.git(dir, &["push", "-q", &url, "main"])
}

/// Clones `repo` over smart HTTP into `parent/name`.
pub fn http_clone(parent: &Path, repo: &str, name: &str) -> Output {
    git_in(parent, &["clone", "-q", repo, name], None)
}

/// Clones `repo` over SSH into `parent/name`.
pub fn ssh_clone(user: &GitUser, parent: &Path, repo: &str, name: &str) -> Output {
    let url = user.url(&crate::common::git::path_of(repo));
    user.git(parent, &["clone", "-q", &url, name])
}

/// stderr of a command that must have failed.
pub fn failed(out: Output) -> String {
    assert!(!out.status.success(), "expected a failure");
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// The `main` ref of `repo` as smart HTTP advertises it (`git ls-remote`).
pub fn remote_main(parent: &Path, repo: &str) -> String {
    let out = crate::common::git::ok(git_in(
        parent,
        &["ls-remote", repo, "refs/heads/main"],
        None,
    ));
    out.split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Creates `name` through the world's Factory as alice (who holds write on it): the result.
pub async fn create_as_alice(w: &World, name: &str, factory_grant: &str) -> String {
    let answer = crate::common::forge::create_via_factory(
        &w.a,
        "alice",
        &w.factory,
        "Repository",
        name,
        Some(factory_grant),
    )
    .await;
    answer["result"].as_str().expect("created").to_string()
}

/// alice's write Grant on the world's Factory.
pub async fn factory_grant(w: &World) -> String {
    let grant =
        w.a.grant_on("alice", &w.factory, "active", 10)
            .await
            .unwrap();
    grant["id"].as_str().unwrap().to_string()
}

/// Asks `inst` for `url` as a fediverse server would.
pub async fn get(url: &str) -> (u16, Value) {
    let res = crate::common::client()
        .get(url)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}
