//! The shape of the code base, checked on every test run: no import circle between the files of
//! any crate of the workspace (a parent module that declares its children and is named back by
//! them counts), and the size limits of files and functions. ARCHITECTURE.md explains the rules;
//! `cargo test --test architecture -- --nocapture` prints what it finds.

mod graph;
mod layers;
mod modules;
mod refs;
mod sizes;

use modules::CrateTree;
use std::path::{Path, PathBuf};

/// Circles allowed to stay: the schema crate's recursive Object/ObjectRef pair.
const ALLOWED_CIRCLES: &[&[&str]] = &[&["schema/src/object.rs", "schema/src/reference.rs"]];

fn workspace() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    std::fs::canonicalize(&dir).unwrap_or(dir)
}

/// Every crate root of the workspace: libraries, binaries, tests and benches.
fn crate_roots() -> Vec<PathBuf> {
    let ws = workspace();
    let mut roots: Vec<PathBuf> = [
        "schema/src/lib.rs",
        "actors/src/lib.rs",
        "src/lib.rs",
        "src/main.rs",
        "demo/src/main.rs",
    ]
    .iter()
    .map(|p| ws.join(p))
    .collect();
    for dir in ["tests", "benches", "schema/tests", "actors/tests"] {
        roots.extend(rust_files_in(&ws.join(dir)));
    }
    roots
}

fn rust_files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p| {
            if p.extension().is_some_and(|e| e == "rs") {
                Some(p)
            } else {
                let main = p.join("main.rs");
                main.exists().then_some(main)
            }
        })
        .collect();
    files.sort();
    files
}

fn relative(path: &Path) -> String {
    let ws = workspace();
    path.strip_prefix(&ws).unwrap_or(path).display().to_string()
}

/// The circles of one crate, each as its files (relative) and the edges inside it.
fn crate_circles(root: &Path) -> Vec<(Vec<String>, Vec<String>)> {
    let tree = CrateTree::load(root);
    let edges = graph::edges(&tree);
    let mut out = Vec::new();
    for circle in graph::circles(tree.files.len(), &edges) {
        let files: Vec<String> = circle
            .iter()
            .map(|i| relative(&tree.files[*i].path))
            .collect();
        let inside: Vec<String> = edges
            .iter()
            .filter(|(a, b)| circle.contains(a) && circle.contains(b))
            .map(|(a, b)| {
                let name = |i: &usize| relative(&tree.files[*i].path);
                format!("{} -> {}", name(a), name(b))
            })
            .collect();
        out.push((files, inside));
    }
    out
}

fn allowed(files: &[String]) -> bool {
    ALLOWED_CIRCLES.iter().any(|allowed| {
        allowed.len() == files.len() && allowed.iter().all(|f| files.iter().any(|g| g == f))
    })
}

#[test]
fn no_import_circle_in_any_crate() {
    let mut report = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for root in crate_roots() {
        for (files, inside) in crate_circles(&root) {
            if allowed(&files) || !seen.insert(files.clone()) {
                continue;
            }
            report.push(format!(
                "circle of {} files (crate {}):\n  {}",
                files.len(),
                relative(&root),
                inside.join("\n  ")
            ));
        }
    }
    for line in &report {
        println!("{line}");
    }
    assert!(
        report.is_empty(),
        "{} import circles:\n{}",
        report.len(),
        report.join("\n")
    );
}

#[test]
fn files_and_functions_stay_small() {
    let mut report = Vec::new();
    for root in crate_roots() {
        let tree = CrateTree::load(&root);
        report.extend(sizes::oversized(&tree, &relative));
    }
    report.sort();
    report.dedup();
    for line in &report {
        println!("{line}");
    }
    assert!(
        report.is_empty(),
        "{} oversized:\n{}",
        report.len(),
        report.join("\n")
    );
}

/// Imports from a lower layer to a higher one (and files in no layer) of the crate whose
/// sources are in `dir` (root `lib.rs`).
fn upward_imports(dir: &str, layers: &[&[&str]]) -> Vec<String> {
    let src = workspace().join(dir);
    let tree = CrateTree::load(&src.join("lib.rs"));
    let layer = |i: usize| {
        let path = &tree.files[i].path;
        layers::layer_in(layers, path.strip_prefix(&src).unwrap_or(path))
    };
    let mut report = Vec::new();
    for (i, file) in tree.files.iter().enumerate() {
        if layer(i).is_none() {
            let name = relative(&file.path);
            report.push(format!(
                "{name} is in no layer (tests/architecture/layers.rs)"
            ));
        }
    }
    for (a, b) in graph::edges(&tree) {
        if let (Some(from), Some(to)) = (layer(a), layer(b)) {
            if from < to {
                report.push(format!(
                    "{} (layer {from}) imports {} (layer {to})",
                    relative(&tree.files[a].path),
                    relative(&tree.files[b].path)
                ));
            }
        }
    }
    for line in &report {
        println!("{line}");
    }
    report
}

#[test]
fn actors_files_import_only_their_layer_and_below() {
    let report = upward_imports("actors/src", layers::ACTORS_LAYERS);
    assert!(
        report.is_empty(),
        "{} upward imports:\n{}",
        report.len(),
        report.join("\n")
    );
}

#[test]
fn server_files_import_only_their_layer_and_below() {
    let report = upward_imports("src", layers::SERVER_LAYERS);
    assert!(
        report.is_empty(),
        "{} upward imports:\n{}",
        report.len(),
        report.join("\n")
    );
}
