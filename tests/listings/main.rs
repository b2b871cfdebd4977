//! The listing API over real HTTP: what a person administers or may write to (after creating a
//! repository, after an accepted invitation), the instance's repositories page by page, refused
//! cursors and limits, unknown people, and the Repository document's `pushUri` used as given by
//! a real `git push` over SSH.

#[path = "../common/mod.rs"]
mod common;

use common::client;
use common::forge::{create_via_factory, with_repo, world, World};
use common::git::{ok, rev, work_tree};
use serde_json::{json, Value};

/// GET an API route, with a bearer token if given.
async fn get(w: &World, path: &str, token: Option<&str>) -> (u16, Value) {
    let mut req = client().get(w.a.at(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// The IRIs and roles of a person's list, polled until `want` holds (Grants are delivered).
async fn list_until(w: &World, path: &str, want: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..100 {
        let (s, body) = get(w, path, None).await;
        assert_eq!(s, 200, "{body}");
        if want(&body) {
            return body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{path} never became what was expected");
}

fn has(body: &Value, iri: &str, role: &str) -> bool {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == iri && i["role"] == role)
}

#[tokio::test]
async fn a_person_lists_what_they_administer_and_may_write_to() {
    let (w, _alice_git, repo) = with_repo("Listed").await;
    let body = list_until(&w, "/api/v1/people/alice/repos", |b| has(b, &repo, "admin")).await;
    let item = &body["items"][0];
    assert_eq!(item["name"], "Listed");
    assert_eq!(item["cloneUri"], repo);
    assert!(item["pushUri"].as_str().unwrap().starts_with("ssh://git@"));
    assert_eq!(body["person"], w.a.at("/people/alice"));
    // alice may write to the Factory, which is none of the three kinds listed.
    for kind in ["trackers", "projects"] {
        let (s, b) = get(&w, &format!("/api/v1/people/alice/{kind}"), None).await;
        assert_eq!((s, b["items"].as_array().unwrap().len()), (200, 0), "{b}");
    }
    let (_, admin) = get(&w, "/api/v1/people/admin/repos", None).await;
    assert!(admin["items"].as_array().unwrap().is_empty(), "{admin}");

    // bob holds nothing until he accepts alice's invitation to write to her repository.
    w.a.register("bob").await;
    let (_, bob) = get(&w, "/api/v1/people/bob/repos", None).await;
    assert!(bob["items"].as_array().unwrap().is_empty());
    invite_to_repo(&w, &repo, "bob", "write").await;
    list_until(&w, "/api/v1/people/bob/repos", |b| has(b, &repo, "write")).await;
}

/// alice (admin of `repo`) invites `who` to `role` on it; `who` accepts.
async fn invite_to_repo(w: &World, repo: &str, who: &str, role: &str) {
    let grant = w.a.grant_on("alice", repo, "active", 10).await.unwrap();
    let token = w.a.login("alice").await;
    let invite = json!({"type": "Invite", "object": w.a.at(&format!("/people/{who}")),
        "instrument": role, "target": repo, "capability": grant["id"]});
    let (s, body) = w.a.post_outbox("alice", &token, &invite).await;
    assert_eq!(s, 201, "{body}");
    let invite_id = body["id"].as_str().unwrap().to_string();
    let token = w.a.login(who).await;
    let got =
        w.a.find_in_inbox(who, &token, 10, |v| v["id"] == invite_id)
            .await;
    assert!(got.is_some(), "{who} received the Invite");
    let accept = json!({"type": "Accept", "object": invite_id});
    let (s, body) = w.a.post_outbox(who, &token, &accept).await;
    assert_eq!(s, 201, "{body}");
}

#[tokio::test]
async fn unknown_people_are_404() {
    let w = world().await;
    for path in [
        "/api/v1/people/nobody/repos",
        "/api/v1/people/nobody/projects",
    ] {
        assert_eq!(get(&w, path, None).await.0, 404);
    }
    assert_eq!(get(&w, "/api/v1/people/..%2Fx/trackers", None).await.0, 404);
}

#[tokio::test]
async fn the_instance_lists_its_repositories_page_by_page() {
    let w = world().await;
    for name in ["Gamma", "Alpha", "Beta"] {
        let answer = create_via_factory(
            &w.a,
            "admin",
            &w.factory,
            "Repository",
            name,
            Some(&w.admin_grant),
        )
        .await;
        assert_eq!(answer["type"], "Accept", "{answer}");
    }
    let (s, first) = get(&w, "/api/v1/repos?limit=2", None).await;
    assert_eq!(s, 200, "{first}");
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let next = first["next"].as_str().expect("a second page").to_string();
    let (s, second) = get(&w, &format!("/api/v1/repos?limit=2&cursor={next}"), None).await;
    assert_eq!(s, 200, "{second}");
    assert_eq!(second["next"], Value::Null);
    let ids: Vec<String> = [&first, &second]
        .iter()
        .flat_map(|p| p["items"].as_array().unwrap().clone())
        .map(|i| i["localId"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!((ids.len(), &ids), (3, &sorted), "each once, in id order");
    let (_, all) = get(&w, "/api/v1/repos", None).await;
    assert_eq!(all["items"].as_array().unwrap().len(), 3);
    assert_eq!(all["items"][0]["stars"], 0);
    for bad in [
        "cursor=%2A%2A",
        "cursor=Li4v",
        "limit=0",
        "limit=101",
        "limit=x",
    ] {
        let (s, body) = get(&w, &format!("/api/v1/repos?{bad}"), None).await;
        assert_eq!(s, 400, "{bad}: {body}");
    }
}

#[tokio::test]
async fn the_push_uri_of_the_document_takes_a_real_git_push() {
    let (w, alice, repo) = with_repo("Pushed").await;
    let (s, doc) = w.a.get_ap(&repo).await;
    assert_eq!(s, 200);
    assert_eq!(doc["cloneUri"], repo);
    let push = doc["pushUri"].as_str().expect("a pushUri").to_string();
    let tmp = tempfile::tempdir().unwrap();
    let tree = work_tree(tmp.path(), "work", 2);
    ok(alice.git(&tree, &["push", "-q", &push, "main"]));
    let listed = ok(alice.git(tmp.path(), &["ls-remote", &repo, "refs/heads/main"]));
    assert!(listed.starts_with(&rev(&tree, "main")), "{listed}");
}

#[tokio::test]
async fn private_repositories_are_listed_only_to_who_may_read_them() {
    let (w, _alice_git, _) = with_repo("Open").await;
    let token = w.a.login("alice").await;
    let grant =
        w.a.grant_on("alice", &w.factory, "active", 10)
            .await
            .unwrap();
    let create = json!({"type": "Create", "to": [w.factory], "capability": grant["id"],
        "object": {"type": "Repository", "name": "Hidden", "visibility": "private"}});
    let (s, body) = w.a.post_outbox("alice", &token, &create).await;
    assert_eq!(s, 201, "{body}");
    let hidden = w.a.at("/repos/hidden");
    let mut own = serde_json::Value::Null;
    for _ in 0..100 {
        own = get(&w, "/api/v1/people/alice/repos", Some(&token)).await.1;
        if has(&own, &hidden, "admin") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        has(&own, &hidden, "admin"),
        "alice sees her private repository: {own}"
    );
    let (_, mine) = get(&w, "/api/v1/people/alice/repos", None).await;
    assert!(
        !has(&mine, &hidden, "admin"),
        "anonymous readers do not see it"
    );
    let (_, all) = get(&w, "/api/v1/repos", None).await;
    assert!(!all["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == hidden));
}
