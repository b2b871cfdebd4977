//! What the listing API reads of local resources without activating them: the stored record of
//! an actor, whether it is private or deleted, its summary (IRI, name, clone and push URLs,
//! stars), and the instance's repositories page by page, in id order from an opaque cursor, by
//! a range scan of the actor index (`actor 0xFF repository/<id>`): a page costs O(page + the
//! private and deleted repositories skipped), never O(all repositories). Reads only.

use crate::actor::env::Env;
use crate::actor::record::{record_key, ActorRecord};
use crate::base::error::{ActorError, Result};
use crate::base::kind::{is_valid_local_id, ActorKind, ActorRef};
use crate::storage::codec::{self, decode_u64};
use crate::storage::keyspace::ActorKeyspace;
use crate::storage::layout::{self, ACTOR_INDEX, LIKES};
use base64::Engine as _;
use serde_json::{json, Value};

/// Most entries one page may ask for.
pub const MAX_LIMIT: usize = 100;
/// Entries of a page when the request names no limit.
pub const DEFAULT_LIMIT: usize = 20;
/// Most index entries one page reads (private and deleted ones are skipped, not returned): a
/// page may come back short, with a cursor to go on from.
const MAX_SCANNED: usize = 1000;

/// Whether the resource is private (`"visibility": "private"`, see
/// `kinds::repository_visibility`): listed only to those who may read it. (A deleted resource
/// has no record and is out of the actor index: it is never listed.)
pub fn is_private(record: &ActorRecord) -> bool {
    record.extra.get("visibility").and_then(Value::as_str) == Some("private")
}

/// The stored record of a local actor; None when it does not exist.
pub fn stored_record(env: &Env, r: &ActorRef) -> Result<Option<(ActorKeyspace, ActorRecord)>> {
    if !env.store.actor_exists(r)? {
        return Ok(None);
    }
    let ks = env.store.keyspace(r)?;
    match ks.get(record_key())? {
        Some(bytes) => Ok(Some((ks, codec::decode(&bytes)?))),
        None => Ok(None),
    }
}

/// The listing entry of a local resource: IRI, local id, type, name, summary, visibility; for
/// a repository also its clone and push URLs and its number of stars.
pub fn summary(env: &Env, r: &ActorRef, ks: &ActorKeyspace, record: &ActorRecord) -> Value {
    let iri = env.urls.actor(r);
    let visibility = if is_private(record) {
        "private"
    } else {
        "public"
    };
    let mut entry = json!({
        "id": iri, "localId": r.id, "type": r.kind.as_type(), "name": record.name,
        "summary": record.summary, "published": record.created, "visibility": visibility,
    });
    if r.kind == ActorKind::Repository {
        entry["cloneUri"] = json!(iri);
        if let Some(push) = env.urls.push_uri(r) {
            entry["pushUri"] = json!(push);
        }
        entry["stars"] = json!(stars(ks));
    }
    entry
}

/// The number of stars, from the kept size of `likes` (counted, without writing, if it was
/// never kept: readers do not write an actor's keyspace).
fn stars(ks: &ActorKeyspace) -> u64 {
    match ks.get(crate::storage::sizes::size_key(LIKES)) {
        Ok(Some(v)) => decode_u64(&v),
        _ => ks.scan_prefix(layout::prefix(LIKES)).count() as u64,
    }
}

/// One page of the instance's public repositories.
#[derive(Debug)]
pub struct Page {
    pub items: Vec<Value>,
    /// The cursor of the next page; None after the last.
    pub next: Option<String>,
}

/// The id a cursor stands for (400 when it is not one this instance gave out).
pub fn decode_cursor(cursor: &str) -> Result<String> {
    let bad = || ActorError::Invalid(format!("malformed cursor {cursor:?}"));
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| bad())?;
    let id = String::from_utf8(bytes).map_err(|_| bad())?;
    is_valid_local_id(&id).then_some(id).ok_or_else(bad)
}

fn encode_cursor(id: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(id)
}

/// The public, not deleted repositories after `cursor` (None: from the first), in id order,
/// at most `limit` (1 to `MAX_LIMIT`).
pub fn repositories_page(env: &Env, cursor: Option<&str>, limit: usize) -> Result<Page> {
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ActorError::Invalid(format!(
            "limit must be 1 to {MAX_LIMIT}"
        )));
    }
    let after = cursor.map(decode_cursor).transpose()?;
    let prefix = layout::key(ACTOR_INDEX, b"repository/");
    let after_key = after.map(|id| [prefix.as_slice(), id.as_bytes()].concat());
    let entries = env
        .store
        .instance()
        .scan_from(&prefix, after_key.as_deref(), false);
    let (mut items, mut last, mut more) = (Vec::new(), None, false);
    for (scanned, entry) in entries.enumerate() {
        if items.len() == limit || scanned == MAX_SCANNED {
            more = true;
            break;
        }
        let (key, _) = entry?;
        let name = String::from_utf8_lossy(&key[layout::prefix(ACTOR_INDEX).len()..]).to_string();
        let Some(r) = ActorRef::from_tree_name(&name) else {
            continue;
        };
        last = Some(r.id.clone());
        if let Some((ks, record)) = stored_record(env, &r)? {
            if !is_private(&record) {
                items.push(summary(env, &r, &ks, &record));
            }
        }
    }
    let next = last.filter(|_| more).map(|id| encode_cursor(&id));
    Ok(Page { items, next })
}

#[cfg(test)]
#[path = "listings_tests.rs"]
mod tests;
