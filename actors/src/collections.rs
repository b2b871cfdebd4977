//! Serving an actor's collections (`inbox`, `outbox`, `followers`, `following`, `grants`) as
//! ActivityStreams OrderedCollections with pages, and reading its follower lists.

use crate::actor::state::ActorCore;
use crate::base::addressing::stripped;
use crate::base::error::{ActorError, Result};
use crate::data::followers;
use crate::data::grants;
use crate::data::received_grants;
use crate::data::stars;
use crate::publish::audience;
use crate::publish::audience::Reader;
use crate::runtime::messages::GetCollection;
use crate::store::{self, OUTBOX};
use serde_json::{json, Value};

/// Items per collection page.
pub const PAGE_SIZE: usize = 20;

/// The items of a collection, in the order they are served.
fn items(core: &ActorCore, name: &str, reader: &Reader) -> Result<Vec<Value>> {
    let owner = *reader == Reader::Owner;
    match name {
        "followers" => Ok(followers::followers(core)?
            .into_iter()
            .map(|i| json!(i))
            .collect()),
        "following" => Ok(followers::following(core)?
            .into_iter()
            .map(|i| json!(i))
            .collect()),
        "inbox" if !owner => Err(ActorError::Forbidden(
            "only the owner may read an inbox".into(),
        )),
        // Items are stored without bto/bcc; older ones are stripped as they are served.
        "inbox" => Ok(core.inbox_items()?.iter().map(stripped).collect()),
        "outbox" => {
            let mut out = Vec::new();
            for entry in core.tree.scan_prefix(store::prefix(OUTBOX)).rev() {
                let value: Value = store::decode(&entry?.1)?;
                if owner || audience::may_read_published(core, &value, reader)? {
                    out.push(stripped(&value));
                }
            }
            Ok(out)
        }
        "likes" => Ok(stars::likers(core)?.into_iter().map(|i| json!(i)).collect()),
        "grants" if core.r.kind == crate::base::kind::ActorKind::Person => {
            received_grants::items(core)
        }
        "grants" => grants::items(core),
        "components" => crate::data::components::components_items(core),
        other => Err(ActorError::NotFound(format!("collection {other}"))),
    }
}

/// The collection document, or one page of it.
pub fn get(core: &ActorCore, msg: &GetCollection) -> Result<Value> {
    let all = items(core, &msg.name, &msg.reader)?;
    let collection = crate::urls::Collection::from_name(&msg.name)
        .ok_or_else(|| ActorError::NotFound(format!("collection {}", msg.name)))?;
    let id = core.env.urls.collection(&core.r, collection);
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
