//! Stars of a Repository or Project: `likes 0xFF <person iri>` -> `Star` in its tree.

use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::storage::layout::{self, LIKES};
use serde::{Deserialize, Serialize};
use url::Url;

/// One star.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Star {
    /// The Like's id (derived from its content when it had none).
    pub like: String,
    pub since: String,
}

/// Everyone who starred this actor.
pub fn likers(core: &ActorCore) -> Result<Vec<Url>> {
    let pre = layout::prefix(LIKES);
    let mut out = Vec::new();
    for entry in core.tree.scan_prefix(&pre) {
        let (k, _) = entry?;
        if let Ok(u) = Url::parse(&String::from_utf8_lossy(&k[pre.len()..])) {
            out.push(u);
        }
    }
    Ok(out)
}
