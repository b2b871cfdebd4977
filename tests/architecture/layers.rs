//! The layer order of the `actors` crate (ARCHITECTURE.md, "Code map: actors/src"): a file may
//! import only from its own layer and the layers below it. A layer is a directory or a file at
//! the top of `actors/src`; `lib.rs`, which declares them all, is above every layer.

use std::path::Path;

/// Bottom to top.
pub const ACTORS_LAYERS: &[&[&str]] = &[
    &["base", "urls"],
    &[
        "storage",
        "git.rs",
        "git_io.rs",
        "git_process.rs",
        "git_documents.rs",
    ],
    &["actor"],
    &["data"],
    &["publish"],
    &["grants"],
    &["activities"],
    &["runtime", "collections.rs"],
    &["kinds"],
    &["registry.rs", "registry_tests.rs", "passivate.rs"],
    &["flows"],
    &["testing.rs", "handler_tests.rs"],
];

/// The layer of a file of `actors/src` (given relative to it), or None when it is in none.
pub fn layer_of(relative: &Path) -> Option<usize> {
    let top = relative.components().next()?.as_os_str().to_str()?;
    if top == "lib.rs" {
        return Some(ACTORS_LAYERS.len());
    }
    ACTORS_LAYERS.iter().position(|layer| layer.contains(&top))
}
