//! What the fork tests do over and over: a second instance with its Factory, a person with a
//! write Grant on it, a fork's Create and its answer, the refs a repository advertises, waiting
//! for a fork's copy.

use crate::calls::{answer_to, get, post};
use crate::common::forge::{invite_and_accept, World};
use crate::common::git::{git_in, ok};
use crate::common::{eventually, Instance};
use serde_json::{json, Value};
use std::path::Path;

/// Starts instance `name` whose admin created the Factory "Main" (as `forge::world` does for A).
pub async fn world_named(name: &str) -> World {
    let settings = crate::common::forge::A_SETTINGS;
    let a = Instance::start_in(name, settings, &["admin"], None).await;
    let admin_token = a.login("admin").await;
    let create = json!({"type": "Create", "object": {"type": "Factory", "name": "Main"}});
    let (s, body) = a.post_outbox("admin", &admin_token, &create).await;
    assert_eq!(s, 201, "{body}");
    let factory = a.at("/factories/main");
    let grant = a.grant_on("admin", &factory, "active", 10).await.unwrap();
    World {
        admin_grant: grant["id"].as_str().unwrap().to_string(),
        admin: a.at("/people/admin"),
        a,
        admin_token,
        factory,
    }
}

/// `user` (registered on the world's instance) with a write Grant on its Factory: the Grant.
pub async fn writer(w: &World, user: &str) -> String {
    w.a.register(user).await;
    let grant = invite_and_accept(w, &w.a, user, "write", json!({})).await;
    grant["id"].as_str().unwrap().to_string()
}

/// `user` asks the world's Factory for a fork of `origin` (addressed to it too): the answer.
pub async fn fork(w: &World, user: &str, grant: &str, name: &str, origin: Value) -> Value {
    let mut create = json!({"type": "Create", "to": [w.factory], "capability": grant,
                            "object": {"type": "Repository", "name": name, "origin": origin}});
    if let Some(o) = origin.as_str() {
        create["cc"] = json!([o]);
    }
    let id = post(&w.a, user, create).await;
    answer_to(&w.a, user, &id, &w.factory).await
}

/// The branches and tags of a repository, as smart HTTP advertises them.
pub fn ls_remote(parent: &Path, repo: &str) -> Vec<String> {
    let out = ok(git_in(
        parent,
        &["ls-remote", "--heads", "--tags", repo],
        None,
    ));
    let mut refs: Vec<String> = out.lines().map(str::to_string).collect();
    refs.sort();
    refs
}

/// Waits for a fork's copy to finish; its document then.
pub async fn copied(fork: &str) -> Value {
    let done = eventually(30, || async { get(fork).await.1["originCopy"].is_string() });
    assert!(done.await, "the fork's copy finished");
    get(fork).await.1
}
