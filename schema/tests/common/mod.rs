// SPDX-License-Identifier: AGPL-3.0-or-later
//! Shared helpers of the integration tests: locating and loading the vector fixtures.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The two vector sets, as subfolders of `tests/vectors/`.
pub const SETS: [&str; 2] = ["forgefed-spec", "forgejo"];

/// `tests/vectors/` inside the crate.
pub fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("vectors")
}

/// Reads and parses a JSON file, panicking with its path on failure.
pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// The file names listed in `<set>/_index.json` (under `examples` or `files`).
pub fn indexed_files(set: &str) -> Vec<String> {
    let index_path = vectors_dir().join(set).join("_index.json");
    let index = read_json(&index_path);
    let entries = ["examples", "files"]
        .iter()
        .find_map(|key| index.get(key).and_then(Value::as_array))
        .unwrap_or_else(|| panic!("{} lists no examples/files", index_path.display()));
    let files: Vec<String> = entries
        .iter()
        .map(|entry| {
            entry
                .get("file")
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("{}: entry without file: {entry}", index_path.display()))
                .to_owned()
        })
        .collect();
    assert!(!files.is_empty(), "{} lists no file", index_path.display());
    files
}

/// Loads one vector, e.g. `load("forgejo", "peer--Person-actor.json")`.
pub fn load(set: &str, file: &str) -> Value {
    read_json(&vectors_dir().join(set).join(file))
}
