//! What a local actor published, as stored: one activity by its local id or IRI, and the
//! hidden audience kept apart for it (`hidden 0xFF <local id>`, see `publish::audience`).

use crate::actor::state::ActorCore;
use crate::base::error::{ActorError, Result};
use crate::storage::codec;
use crate::storage::layout::{self, ACTIVITY, HIDDEN};
use serde_json::Value;
use url::Url;

/// The hidden audience recorded for an activity this actor published.
pub fn hidden_audience_of(core: &ActorCore, local_id: &str) -> Result<Vec<Url>> {
    match core.tree.get(layout::key(HIDDEN, local_id.as_bytes()))? {
        Some(bytes) => Ok(codec::decode::<Vec<Url>>(&bytes)?),
        None => Ok(Vec::new()),
    }
}

/// One activity this actor published, by its local id.
pub fn activity(core: &ActorCore, local_id: &str) -> Result<Value> {
    match core.tree.get(layout::key(ACTIVITY, local_id.as_bytes()))? {
        Some(bytes) => codec::decode(&bytes),
        None => Err(ActorError::NotFound(format!("activity {local_id}"))),
    }
}

/// The activity this actor published under `id`, if `id` is one of its activity IRIs.
pub fn by_iri(core: &ActorCore, id: &Url) -> Option<Value> {
    let local = core.env.urls.activity_local_id(&core.r, id.as_str())?;
    activity(core, local).ok()
}
