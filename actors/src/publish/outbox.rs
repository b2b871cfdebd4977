//! Publishing: a local actor's outgoing activities. Gives them ids under the actor, stores them
//! in the outbox, expands its followers collection and queues the result for delivery (in one
//! transaction with the outbox item). C2S posts arrive through `runtime::c2s`.

use crate::actor::state::ActorCore;
use crate::base::addressing::{addressed, hidden_audience, stripped, ADDRESSING};
use crate::base::clock::now_rfc3339;
use crate::base::error::{ActorError, Result};
use crate::data::followers;
use crate::storage::codec;
use crate::storage::delivery_queue::Deliver;
use crate::storage::layout::{self, ACTIVITY, HIDDEN, OUTBOX};
use serde_json::{json, Map, Value};
use url::Url;

/// A fresh random local id for an activity.
pub fn new_local_id() -> String {
    crate::base::hex::random_hex(12)
}

/// Publishes an activity of this actor: sets id, actor, @context and published when absent,
/// stores it, and delivers it to its expanded recipients. Answers its id.
pub fn publish(core: &ActorCore, activity: Value) -> Result<Url> {
    let kind = activity
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let local_id = core.next_emit_id(kind).unwrap_or_else(new_local_id);
    publish_as(core, &local_id, activity)
}

/// `publish` under a given local id.
pub fn publish_as(core: &ActorCore, local_id: &str, activity: Value) -> Result<Url> {
    publish_carrying(core, local_id, activity, None)
}

/// `emit`, for the last activity of an actor about to delete itself: its delivery jobs carry
/// the actor's signing key, so they are signed after the actor and its key are gone.
pub fn emit_last(core: &ActorCore, kind: &str, fields: Value, to: &[Url]) -> Result<Url> {
    let mut map = match fields {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    map.insert("type".into(), json!(kind));
    map.insert("to".into(), json!(to));
    let local_id = core.next_emit_id(kind).unwrap_or_else(new_local_id);
    let key = Some(core.record.private_key_pem.clone());
    publish_carrying(core, &local_id, Value::Object(map), key)
}

/// `publish_as`, the delivery jobs carrying `signing_key_pem` when given.
fn publish_carrying(
    core: &ActorCore,
    local_id: &str,
    activity: Value,
    signing_key_pem: Option<String>,
) -> Result<Url> {
    let id = core.env.urls.activity(&core.r, local_id);
    let published = completed(core, &id, activity)?;
    // The hidden audience is delivered to, and kept apart for the read check, never stored
    // with the activity nor sent (see publish::audience).
    let recipients = expand_recipients(core, &published)?;
    let stored = stripped(&published);
    let written = write(
        core,
        local_id,
        &published,
        &stored,
        (&recipients, signing_key_pem),
    )?;
    if !written {
        tracing::info!(actor = %core.r, activity = %id, "already published (processing re-run); not again");
        return Ok(id);
    }
    if !recipients.is_empty() {
        core.env.delivery.notify();
    }
    let kind = stored.get("type").and_then(|t| t.as_str()).unwrap_or("?");
    tracing::info!(
        actor = %core.r,
        activity = %id,
        kind,
        recipients = recipients.len(),
        "published activity"
    );
    Ok(id)
}

/// The activity with `@context`, `id` and `actor` first, and `published` when absent.
fn completed(core: &ActorCore, id: &Url, activity: Value) -> Result<Value> {
    let Value::Object(mut map) = activity else {
        return Err(ActorError::Invalid(
            "an activity must be a JSON object".into(),
        ));
    };
    let mut ordered = Map::new();
    ordered.insert(
        "@context".into(),
        map.remove("@context")
            .unwrap_or_else(schema::context::default_context),
    );
    ordered.insert("id".into(), json!(id));
    ordered.insert("actor".into(), json!(core.iri()));
    map.remove("actor");
    map.remove("id");
    ordered.append(&mut map);
    ordered
        .entry("published")
        .or_insert_with(|| json!(now_rfc3339()));
    Ok(Value::Object(ordered))
}

/// Writes the activity (outbox item and served copy), its hidden audience and its delivery job
/// in one transaction: a crash keeps all or none of them, and a re-run of the same processing
/// finds the activity (its id is deterministic then) and writes nothing (answers false).
fn write(
    core: &ActorCore,
    local_id: &str,
    published: &Value,
    stored: &Value,
    (recipients, signing_key_pem): (&[Url], Option<String>),
) -> Result<bool> {
    let hidden = hidden_audience(published);
    let seq = core.env.store.generate_id()?;
    let outbox_key = core.tree.full_key(&layout::seq_key(OUTBOX, seq));
    let activity_key = core
        .tree
        .full_key(&layout::key(ACTIVITY, local_id.as_bytes()));
    let bytes = codec::encode(stored)?;
    let hidden_entry = match hidden.is_empty() {
        true => None,
        false => Some((
            core.tree
                .full_key(&layout::key(HIDDEN, local_id.as_bytes())),
            codec::encode(&hidden)?,
        )),
    };
    let route = match recipients.is_empty() {
        true => None,
        false => Some(core.env.delivery.route_entry(Deliver {
            from: core.r.clone(),
            activity: stored.clone(),
            recipients: recipients.to_vec(),
            signing_key_pem,
        })?),
    };
    // The outbox's indexes are written in the same transaction (see `outbox_index`).
    let public = crate::base::addressing::is_public(stored);
    let index_writes = crate::publish::outbox_index::writes(core, seq, public)?;
    let trees = [core.tree.raw(), core.env.delivery.tree()];
    let written = core.env.store.transaction(&trees, |tx| {
        let (t, d) = (tx[0], tx[1]);
        if t.get(&activity_key)?.is_some() {
            return Ok(false);
        }
        t.insert(&outbox_key, &bytes)?;
        t.insert(&activity_key, &bytes)?;
        for (k, v) in &index_writes {
            t.insert(k, v)?;
        }
        if let Some((k, v)) = &hidden_entry {
            t.insert(k, v)?;
        }
        if let Some((k, v)) = &route {
            d.insert(k, v)?;
        }
        Ok(true)
    })?;
    Ok(written)
}

/// Builds and publishes an activity of this actor addressed to `to`.
pub fn emit(core: &ActorCore, kind: &str, fields: Value, to: &[Url]) -> Result<Url> {
    let mut map = match fields {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    map.insert("type".into(), json!(kind));
    map.insert("to".into(), json!(to));
    publish(core, Value::Object(map))
}

/// The actor IRIs an activity goes to: every addressed IRI, with this actor's own followers
/// collection expanded, without Public, without this actor, without duplicates.
pub fn expand_recipients(core: &ActorCore, activity: &Value) -> Result<Vec<Url>> {
    let me = core.iri();
    let my_followers = core
        .env
        .urls
        .collection(&core.r, crate::urls::Collection::Followers);
    let mut out: Vec<Url> = Vec::new();
    for prop in ADDRESSING {
        for iri in addressed(activity, prop) {
            if iri == my_followers {
                for f in followers::followers(core)? {
                    if !out.contains(&f) {
                        out.push(f);
                    }
                }
            } else if iri != me && !schema::context::is_public(&iri) && !out.contains(&iri) {
                out.push(iri);
            }
        }
    }
    Ok(out)
}
