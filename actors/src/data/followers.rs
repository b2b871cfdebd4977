//! Who follows an actor and whom it follows: `followers 0xFF <iri>` -> `Follower` and
//! `following 0xFF <iri>` -> `Following` in its tree.

use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::storage::codec;
use crate::storage::layout::{self, FOLLOWERS, FOLLOWING};
use serde::{Deserialize, Serialize};
use url::Url;

/// `followers 0xFF <iri>`: who follows this actor, through which Follow.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Follower {
    pub follow: String,
    pub since: String,
}

/// `following 0xFF <iri>`: whom this actor follows; `accepted` once the Accept arrived.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Following {
    pub follow: String,
    pub accepted: bool,
    pub since: String,
}

/// The IRIs stored as keys of a collection.
pub fn iri_keys(core: &ActorCore, collection: &str) -> Result<Vec<(Url, Vec<u8>)>> {
    let pre = layout::prefix(collection);
    let mut out = Vec::new();
    for entry in core.tree.scan_prefix(&pre) {
        let (k, v) = entry?;
        if let Ok(iri) = Url::parse(&String::from_utf8_lossy(&k[pre.len()..])) {
            out.push((iri, v));
        }
    }
    Ok(out)
}

/// Everyone following this actor.
pub fn followers(core: &ActorCore) -> Result<Vec<Url>> {
    Ok(iri_keys(core, FOLLOWERS)?
        .into_iter()
        .map(|(i, _)| i)
        .collect())
}

/// The follower entry of one actor.
pub fn follower(core: &ActorCore, iri: &Url) -> Result<Option<Follower>> {
    match core
        .tree
        .get(layout::key(FOLLOWERS, iri.as_str().as_bytes()))?
    {
        Some(v) => Ok(Some(codec::decode(&v)?)),
        None => Ok(None),
    }
}

/// The following entry for one actor.
pub fn following_entry(core: &ActorCore, iri: &Url) -> Result<Option<Following>> {
    match core
        .tree
        .get(layout::key(FOLLOWING, iri.as_str().as_bytes()))?
    {
        Some(v) => Ok(Some(codec::decode(&v)?)),
        None => Ok(None),
    }
}

/// Everyone this actor follows (accepted follows only).
pub fn following(core: &ActorCore) -> Result<Vec<Url>> {
    let mut out = Vec::new();
    for (iri, v) in iri_keys(core, FOLLOWING)? {
        if codec::decode::<Following>(&v)?.accepted {
            out.push(iri);
        }
    }
    Ok(out)
}
