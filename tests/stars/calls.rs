//! The stars tests' calls: a repository made by the admin, who stars it, Forgejo's vectors.

use crate::common::forge::{create_via_factory, World};
use crate::common::Instance;
use serde_json::Value;
use std::collections::BTreeSet;

/// A repository created by the world's admin through its Factory.
pub async fn admin_repo(w: &World, name: &str) -> String {
    let answer = create_via_factory(
        &w.a,
        "admin",
        &w.factory,
        "Repository",
        name,
        Some(&w.admin_grant),
    )
    .await;
    answer["result"].as_str().expect("created").to_string()
}

/// Who stars `repo` (its `likes` collection, first page).
pub async fn likers(inst: &Instance, repo: &str) -> BTreeSet<String> {
    inst.collection(&format!("{repo}/likes"), None)
        .await
        .into_iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// A Forgejo test vector.
pub fn vector(name: &str) -> Value {
    let path = format!(
        "{}/schema/tests/vectors/forgejo/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}
