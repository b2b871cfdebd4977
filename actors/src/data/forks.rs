//! A Repository's forks: its `forks` collection (ForgeFed `forks`, newest first) and the
//! Factory Accepts of forking Creates that arrived before the Create itself
//! (`activities::forks` decides what goes in).
//!
//! Keys in a repository's tree:
//! - `fork 0xFF <fork iri>` -> JSON `Fork`.
//! - `fork-accept 0xFF <Create id>` -> JSON `ForkAccept`.

use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::storage::codec;
use crate::storage::layout::{self, FORK, FORK_ACCEPT};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

/// One fork of the repository.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fork {
    /// The Create that asked for it.
    pub create: String,
    /// When this repository learned of it (RFC 3339).
    pub since: String,
}

/// A Factory's Accept of a forking Create this repository has not received yet.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ForkAccept {
    /// The Accept's actor (must be the Create's Factory).
    pub factory: String,
    /// The new repository (the Accept's `result`).
    pub fork: String,
}

/// Adds a fork (idempotent: a known fork keeps its first entry).
pub fn add(core: &ActorCore, fork: &Url, create: &Url) -> Result<()> {
    let key = layout::key(FORK, fork.as_str().as_bytes());
    if core.tree.get(&key)?.is_some() {
        return Ok(());
    }
    let entry = Fork {
        create: create.to_string(),
        since: crate::base::clock::now_rfc3339(),
    };
    core.tree.insert(key, codec::encode(&entry)?)?;
    Ok(())
}

/// The forks, newest first, as collection items (IRIs).
pub fn items(core: &ActorCore) -> Result<Vec<Value>> {
    let pre = layout::prefix(FORK);
    let mut forks: Vec<(String, String)> = Vec::new();
    for entry in core.tree.scan_prefix(&pre) {
        let (k, v) = entry?;
        let fork: Fork = codec::decode(&v)?;
        forks.push((fork.since, String::from_utf8_lossy(&k[pre.len()..]).into()));
    }
    forks.sort_by(|a, b| b.cmp(a));
    Ok(forks.into_iter().map(|(_, iri)| json!(iri)).collect())
}

/// Keeps an Accept seen before its Create.
pub fn put_accept(core: &ActorCore, create: &Url, accept: &ForkAccept) -> Result<()> {
    let key = layout::key(FORK_ACCEPT, create.as_str().as_bytes());
    core.tree.insert(key, codec::encode(accept)?)?;
    Ok(())
}

/// The Accept kept for a Create, removed as it is read.
pub fn take_accept(core: &ActorCore, create: &Url) -> Result<Option<ForkAccept>> {
    let key = layout::key(FORK_ACCEPT, create.as_str().as_bytes());
    let Some(v) = core.tree.get(&key)? else {
        return Ok(None);
    };
    core.tree.remove(&key)?;
    Ok(Some(codec::decode(&v)?))
}
