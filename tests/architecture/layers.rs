//! The layer orders of the `actors` crate and of the server crate (`src/`) (ARCHITECTURE.md, "Code map: actors/src"): a file may
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
        "git_fetch.rs",
        "git_documents.rs",
        "browse",
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
    &[
        "testing.rs",
        "handler_tests.rs",
        "merge_tests.rs",
        "merge_request_tests.rs",
        "ticket_list_tests.rs",
        "fork_tests.rs",
        "review_handler_tests.rs",
    ],
];

/// The server crate, bottom to top: what the transports share (settings, errors, limits),
/// federation, the transports, and start-up.
pub const SERVER_LAYERS: &[&[&str]] = &[
    &[
        "settings",
        "settings.rs",
        "settings_tests.rs",
        "error.rs",
        "storage_faults.rs",
        "buckets.rs",
        "limits.rs",
        "host_blocks.rs",
        "client_addr.rs",
        "request_body.rs",
        "disk_guard.rs",
        "instance.rs",
        "metrics",
        "logging.rs",
    ],
    &["federation"],
    &["http", "web", "ssh"],
    &["cli", "server", "server.rs", "backup"],
];

/// The layer of a file (relative to its crate's source directory) in `layers`, `lib.rs` above
/// them all, or None when it is in none.
pub fn layer_in(layers: &[&[&str]], relative: &Path) -> Option<usize> {
    let top = relative.components().next()?.as_os_str().to_str()?;
    if top == "lib.rs" {
        return Some(layers.len());
    }
    layers.iter().position(|layer| layer.contains(&top))
}
