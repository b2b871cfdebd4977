//! The calls the capability tests make: a creation through A's Factory with a Grant, the
//! resource an Accept names, and the repositories on disk.

use crate::common::forge::{create_via_factory, World};
use crate::common::Instance;
use serde_json::Value;

/// `user` on `inst` asks A's Factory to create a `kind` named `name`, with the Grant `grant`;
/// answers the Accept or Reject that came back.
pub async fn create(
    w: &World,
    inst: &Instance,
    user: &str,
    kind: &str,
    name: &str,
    grant: &Value,
) -> Value {
    create_via_factory(inst, user, &w.factory, kind, name, grant["id"].as_str()).await
}

/// The resource that `answer` (to a Create through a Factory) created; it must be an Accept.
#[track_caller]
pub fn created(answer: &Value) -> String {
    assert_eq!(answer["type"], "Accept", "{answer}");
    let iri = answer["result"].as_str().expect("the created resource");
    iri.to_string()
}

/// The number of bare repositories in `inst`'s data directory.
pub fn repos_on_disk(inst: &Instance) -> usize {
    std::fs::read_dir(inst.data_dir().join("repos"))
        .map(|d| d.count())
        .unwrap_or(0)
}
