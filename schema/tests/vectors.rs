// SPDX-License-Identifier: AGPL-3.0-or-later
//! Parses every vector listed in the `_index.json` files into the typed model, checks that each
//! typed parse serializes back to the very same JSON value, and does the same for every typed
//! object embedded in a vector. Also checks that the fixtures match `../shared/vectors` when
//! that folder exists, so a vector added there is not silently missed.
//!
//! Exact round trips hold for every vector: unknown keys survive in the flattened `extra` maps
//! and `OneOrMany` keeps a one-element array as an array.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use schema::{
    Activity, Actor, Branch, Commit, KeyDocument, NodeInfo, NodeInfoLinks, Object,
    OrderedCollection, Ticket,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Parses `value` as `T`, serializes it back, and requires the result to equal `value`.
fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> Result<(), String> {
    let type_name = std::any::type_name::<T>();
    let typed: T = serde_json::from_value(value.clone())
        .map_err(|e| format!("does not parse as {type_name}: {e}"))?;
    let back =
        serde_json::to_value(&typed).map_err(|e| format!("{type_name} does not serialize: {e}"))?;
    if &back == value {
        Ok(())
    } else {
        Err(format!(
            "{type_name} does not round-trip\n  original: {value}\n  re-serialized: {back}"
        ))
    }
}

fn type_names(value: &Value) -> Vec<&str> {
    match value.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Checks one document against every typed model that fits it; returns the models used.
fn check_document(value: &Value) -> Result<Vec<&'static str>, String> {
    let mut used = Vec::new();
    if value.get("software").is_some() {
        round_trip::<NodeInfo>(value)?;
        return Ok(vec!["NodeInfo"]);
    }
    if value.get("links").is_some() && value.get("type").is_none() {
        round_trip::<NodeInfoLinks>(value)?;
        return Ok(vec!["NodeInfoLinks"]);
    }
    if value.get("inbox").is_some() {
        round_trip::<Actor>(value)?;
        used.push("Actor");
    } else if value.get("actor").is_some() {
        round_trip::<Activity>(value)?;
        used.push("Activity");
    }
    if value.get("publicKey").is_some() {
        round_trip::<KeyDocument>(value)?;
        used.push("KeyDocument");
    }
    for t in type_names(value) {
        match t {
            "Commit" => {
                round_trip::<Commit>(value)?;
                used.push("Commit");
            }
            "Branch" => {
                round_trip::<Branch>(value)?;
                used.push("Branch");
            }
            "Ticket" => {
                round_trip::<Ticket>(value)?;
                used.push("Ticket");
            }
            "OrderedCollection" | "Collection" => {
                round_trip::<OrderedCollection>(value)?;
                used.push("OrderedCollection");
            }
            _ => {}
        }
    }
    // Object is the universal fallback (and what `object_as` goes through): everything fits.
    round_trip::<Object>(value)?;
    used.push("Object");
    Ok(used)
}

/// Checks every JSON object nested in `value` that has a `type`, recording failures by path.
fn check_nested(value: &Value, path: &str, failures: &mut Vec<String>, count: &mut usize) {
    let children: Vec<(String, &Value)> = match value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (format!("{path}.{k}"), v))
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("{path}[{i}]"), v))
            .collect(),
        _ => return,
    };
    for (child_path, child) in children {
        if child.is_object() && child.get("type").is_some() {
            *count += 1;
            if let Err(e) = check_document(child) {
                failures.push(format!("{child_path}: {e}"));
            }
        }
        check_nested(child, &child_path, failures, count);
    }
}

#[test]
fn every_indexed_vector_parses_and_round_trips() {
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut embedded = 0;
    for set in common::SETS {
        for file in common::indexed_files(set) {
            let name = format!("{set}/{file}");
            let value = common::load(set, &file);
            match check_document(&value) {
                Ok(models) => {
                    checked += 1;
                    eprintln!("{name}: {}", models.join(", "));
                }
                Err(e) => failures.push(format!("{name}: {e}")),
            }
            check_nested(&value, &name, &mut failures, &mut embedded);
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked >= 89, "only {checked} vectors checked");
    assert!(embedded > 20, "only {embedded} embedded objects checked");
}

#[test]
fn every_vector_file_is_indexed() {
    for set in common::SETS {
        let listed: BTreeSet<String> = common::indexed_files(set).into_iter().collect();
        let dir = common::vectors_dir().join(set);
        let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".json") && name != "_index.json")
            .collect();
        assert_eq!(listed, on_disk, "{set}: index and files differ");
    }
}

/// The fixtures are copies of `../shared/vectors` (beside the workspace); when that folder
/// exists, the copies must be complete and identical.
#[test]
fn fixtures_match_shared_vectors_when_present() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors");
    if !shared.is_dir() {
        eprintln!("{} absent: skipping the comparison", shared.display());
        return;
    }
    for set in common::SETS {
        for entry in std::fs::read_dir(shared.join(set)).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            let ours = common::vectors_dir().join(set).join(&name);
            let theirs = std::fs::read(entry.path()).unwrap();
            let mine = std::fs::read(&ours)
                .unwrap_or_else(|_| panic!("{set}/{name} is missing from tests/vectors: copy it"));
            assert_eq!(
                mine,
                theirs,
                "{set}/{name} differs from {}",
                entry.path().display()
            );
        }
    }
}

#[test]
fn forgefed_context_fixture_is_json_ld() {
    let context = common::read_json(&common::vectors_dir().join("forgefed-context.jsonld"));
    let terms = context.get("@context").and_then(Value::as_object).unwrap();
    assert_eq!(
        terms.get("forge").and_then(Value::as_str),
        Some(schema::FORGEFED_NS)
    );
    for term in [
        "Branch",
        "Commit",
        "Push",
        "Repository",
        "Ticket",
        "ref",
        "hash",
        "team",
    ] {
        assert!(terms.contains_key(term), "context lacks {term}");
    }
}
