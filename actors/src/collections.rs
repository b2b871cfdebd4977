//! Serving an actor's collections (`inbox`, `outbox`, `followers`, `following`, `grants`) as
//! ActivityStreams OrderedCollections with pages, and reading its follower lists.

use crate::audience::{stripped, Reader};
use crate::core::ActorCore;
use crate::error::{ActorError, Result};
use crate::messages::GetCollection;
use crate::storage::codec;
use crate::storage::layout::{self, FOLLOWERS, FOLLOWING, OUTBOX};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

/// Items per collection page.
pub const PAGE_SIZE: usize = 20;

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
fn iri_keys(core: &ActorCore, collection: &str) -> Result<Vec<(Url, Vec<u8>)>> {
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

impl ActorCore {
    /// Everyone following this actor.
    pub fn followers(&self) -> Result<Vec<Url>> {
        Ok(iri_keys(self, FOLLOWERS)?
            .into_iter()
            .map(|(i, _)| i)
            .collect())
    }

    /// The follower entry of one actor.
    pub fn follower(&self, iri: &Url) -> Result<Option<Follower>> {
        match self
            .tree
            .get(layout::key(FOLLOWERS, iri.as_str().as_bytes()))?
        {
            Some(v) => Ok(Some(codec::decode(&v)?)),
            None => Ok(None),
        }
    }

    /// The following entry for one actor.
    pub fn following_entry(&self, iri: &Url) -> Result<Option<Following>> {
        match self
            .tree
            .get(layout::key(FOLLOWING, iri.as_str().as_bytes()))?
        {
            Some(v) => Ok(Some(codec::decode(&v)?)),
            None => Ok(None),
        }
    }

    /// Everyone this actor follows (accepted follows only).
    pub fn following(&self) -> Result<Vec<Url>> {
        let mut out = Vec::new();
        for (iri, v) in iri_keys(self, FOLLOWING)? {
            if codec::decode::<Following>(&v)?.accepted {
                out.push(iri);
            }
        }
        Ok(out)
    }
}

/// The items of a collection, in the order they are served.
fn items(core: &ActorCore, name: &str, reader: &Reader) -> Result<Vec<Value>> {
    let owner = *reader == Reader::Owner;
    match name {
        "followers" => Ok(core.followers()?.into_iter().map(|i| json!(i)).collect()),
        "following" => Ok(core.following()?.into_iter().map(|i| json!(i)).collect()),
        "inbox" if !owner => Err(ActorError::Forbidden(
            "only the owner may read an inbox".into(),
        )),
        // Items are stored without bto/bcc; older ones are stripped as they are served.
        "inbox" => Ok(core.inbox_items()?.iter().map(stripped).collect()),
        "outbox" => {
            let mut out = Vec::new();
            for entry in core.tree.scan_prefix(layout::prefix(OUTBOX)).rev() {
                let value: Value = codec::decode(&entry?.1)?;
                if owner || core.may_read_published(&value, reader)? {
                    out.push(stripped(&value));
                }
            }
            Ok(out)
        }
        "likes" => Ok(core.likers()?.into_iter().map(|i| json!(i)).collect()),
        "grants" if core.r.kind == crate::kind::ActorKind::Person => core.received_grants_items(),
        "grants" => core.issued_grants_items(),
        "components" => crate::project::components_items(core),
        other => Err(ActorError::NotFound(format!("collection {other}"))),
    }
}

/// The collection document, or one page of it.
pub fn get(core: &ActorCore, msg: &GetCollection) -> Result<Value> {
    let all = items(core, &msg.name, &msg.reader)?;
    let id = core.urls.actor_sub(&core.r, &msg.name);
    let total = all.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1) as u64;
    let page_url = |n: u64| format!("{id}?page={n}");
    let Some(n) = msg.page else {
        return Ok(json!({
            "@context": schema::context::AS_CONTEXT,
            "id": id,
            "type": "OrderedCollection",
            "totalItems": total,
            "first": page_url(1),
            "last": page_url(pages),
        }));
    };
    if n == 0 || n > pages {
        return Err(ActorError::NotFound(format!("page {n} of {}", msg.name)));
    }
    let start = (n as usize - 1) * PAGE_SIZE;
    let page: Vec<Value> = all.into_iter().skip(start).take(PAGE_SIZE).collect();
    let mut doc = json!({
        "@context": schema::context::AS_CONTEXT,
        "id": page_url(n),
        "type": "OrderedCollectionPage",
        "partOf": id,
        "totalItems": total,
        "orderedItems": page,
    });
    if n < pages {
        doc["next"] = json!(page_url(n + 1));
    }
    if n > 1 {
        doc["prev"] = json!(page_url(n - 1));
    }
    Ok(doc)
}
