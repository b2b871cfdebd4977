//! Publishing: a local actor's outgoing activities. Gives them ids under the actor, stores them
//! in the outbox, applies the actor's own side (e.g. a pending `following` entry for a Follow),
//! expands its followers collection and hands the result to the delivery service.

use crate::core::{now_rfc3339, ActorCore};
use crate::error::{ActorError, Result};
use crate::messages::Deliver;
use crate::storage::codec;
use crate::storage::layout::{self, ACTIVITY, HIDDEN, OUTBOX};
use serde_json::{json, Map, Value};
use url::Url;

/// Addressing properties, in the order they are read.
pub const ADDRESSING: [&str; 5] = ["to", "cc", "bto", "bcc", "audience"];

/// A fresh random local id for an activity.
fn new_local_id() -> String {
    let mut raw = [0u8; 12];
    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut raw);
    raw.iter().map(|b| format!("{b:02x}")).collect()
}

/// The IRIs an addressing property holds (a string or an array of strings).
pub fn addressed(activity: &Value, prop: &str) -> Vec<Url> {
    match activity.get(prop) {
        Some(Value::String(s)) => Url::parse(s).into_iter().collect(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().and_then(|s| Url::parse(s).ok()))
            .collect(),
        _ => Vec::new(),
    }
}

/// Adds an IRI to the `to` of an activity unless it is addressed already.
pub fn add_to(activity: &mut Map<String, Value>, iri: &Url) {
    let already = ADDRESSING.iter().any(|p| {
        addressed(&Value::Object(activity.clone()), p)
            .iter()
            .any(|u| u == iri)
    });
    if already {
        return;
    }
    let entry = activity.entry("to").or_insert_with(|| json!([]));
    match entry {
        Value::Array(items) => items.push(json!(iri)),
        other => {
            let previous = other.take();
            *other = json!([previous, iri]);
        }
    }
}

/// C2S: an activity posted to this actor's outbox by its owner.
pub fn post_outbox(core: &mut ActorCore, activity: Value) -> Result<Url> {
    let Value::Object(mut map) = activity else {
        return Err(ActorError::Invalid(
            "an activity must be a JSON object".into(),
        ));
    };
    if !map.get("type").is_some_and(Value::is_string) {
        return Err(ActorError::Invalid("the activity has no type".into()));
    }
    let local_id = new_local_id();
    map.insert(
        "id".into(),
        json!(core
            .urls
            .actor_sub(&core.r, &format!("activities/{local_id}"))),
    );
    map.insert("actor".into(), json!(core.iri()));
    let parsed: schema::Activity = serde_json::from_value(Value::Object(map.clone()))
        .map_err(|e| ActorError::Invalid(format!("not a valid activity: {e}")))?;
    crate::activities::outgoing::apply(core, &parsed, &mut map)?;
    publish_as(core, &local_id, Value::Object(map))
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
fn publish_as(core: &ActorCore, local_id: &str, activity: Value) -> Result<Url> {
    let Value::Object(mut map) = activity else {
        return Err(ActorError::Invalid(
            "an activity must be a JSON object".into(),
        ));
    };
    let id = core
        .urls
        .actor_sub(&core.r, &format!("activities/{local_id}"));
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
    let published = Value::Object(ordered);
    // The hidden audience is delivered to, and kept apart for the read check, never stored
    // with the activity nor sent (see audience.rs).
    let recipients = expand_recipients(core, &published)?;
    let hidden = crate::audience::hidden_audience(&published);
    let stored = crate::audience::stripped(&published);
    let delivered = stored.clone();
    // The activity (outbox item and served copy), its hidden audience and its delivery job are
    // written in one transaction: a crash keeps all or none of them, and a re-run of the same
    // processing finds the activity (its id is deterministic then) and publishes nothing twice.
    let seq = core.store.generate_id()?;
    let outbox_key = core.tree.full_key(&layout::seq_key(OUTBOX, seq));
    let activity_key = core
        .tree
        .full_key(&layout::key(ACTIVITY, local_id.as_bytes()));
    let bytes = codec::encode(&stored)?;
    let hidden_entry = if hidden.is_empty() {
        None
    } else {
        Some((
            core.tree
                .full_key(&layout::key(HIDDEN, local_id.as_bytes())),
            codec::encode(&hidden)?,
        ))
    };
    let route = if recipients.is_empty() {
        None
    } else {
        Some(core.outbound.route_entry(Deliver {
            from: core.r.clone(),
            activity: delivered,
            recipients: recipients.clone(),
        })?)
    };
    // The outbox's indexes are written in the same transaction (see `outbox_index`).
    let public = crate::audience::is_public(&stored);
    let index_writes = crate::outbox_index::writes(core, seq, public)?;
    let trees = [core.tree.raw(), core.outbound.tree()];
    let written = core.store.transaction(&trees, |tx| {
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
    if !written {
        tracing::info!(actor = %core.r, activity = %id, "already published (processing re-run); not again");
        return Ok(id);
    }
    if route.is_some() {
        core.outbound.notify();
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
    let my_followers = core.urls.actor_sub(&core.r, "followers");
    let mut out: Vec<Url> = Vec::new();
    for prop in ADDRESSING {
        for iri in addressed(activity, prop) {
            if iri == my_followers {
                for f in core.followers()? {
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

impl ActorCore {
    /// One activity this actor published, by its local id.
    pub fn published_activity(&self, local_id: &str) -> Result<Value> {
        match self.tree.get(layout::key(ACTIVITY, local_id.as_bytes()))? {
            Some(bytes) => codec::decode(&bytes),
            None => Err(ActorError::NotFound(format!("activity {local_id}"))),
        }
    }

    /// The activity this actor published under `id`, if `id` is one of its activity IRIs.
    pub fn published_by_iri(&self, id: &Url) -> Option<Value> {
        let prefix = format!("{}/activities/", core_iri_str(self));
        let local = id.as_str().strip_prefix(&prefix)?;
        self.published_activity(local).ok()
    }
}

fn core_iri_str(core: &ActorCore) -> String {
    core.iri().to_string()
}
