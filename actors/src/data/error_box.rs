//! The error box (as Vervis's per-actor "errbox"): what a local actor refused or failed to
//! process, what it ignored that was about it, and what it could not deliver, each with a safe
//! reason, so that its admins can answer "why did my Follow not work?".
//!
//! Two bounded rings of `Slot`s: the actor's own (`ACTOR_RING` slots in its keyspace) and the
//! instance's (`INSTANCE_RING` slots in the instance tree). Each ring has a counter (the next
//! seq) advanced by compare-and-swap, so any thread may record; entry `seq` goes to slot
//! `seq % size`, which bounds the ring by construction. Recording never fails its caller: a
//! storage error is logged and the entry is lost. Entries hold no stack traces and no secrets:
//! texts are clipped and stripped of control characters, and internal errors are named, not
//! shown (`safe_reason`). Signature failures (`unverified`) are not stored here: unsigned input
//! must not write to disk (the server keeps them in memory).

use crate::base::error::{ActorError, Result};
use crate::base::kind::ActorRef;
use crate::storage::codec::{self, decode_u64};
use crate::storage::engine::Entries;
use crate::storage::layout::{self, COUNTER, ERROR_BOX, ERROR_BOX_NEXT};
use crate::storage::store::Store;
use crate::storage::tree::Tree;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt::Display;

/// Entries kept per actor.
pub const ACTOR_RING: u64 = 50;
/// Entries kept for the whole instance.
pub const INSTANCE_RING: u64 = 200;
/// Longest IRI, type or host kept (in characters); longer ones are clipped.
pub const MAX_TEXT: usize = 512;
/// Longest reason kept (in characters).
pub const MAX_REASON: usize = 500;
/// Compare-and-swap attempts on a ring's counter before the entry is given up.
const CAS_TRIES: usize = 64;

/// Where the activity stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// The actor answered it with a Reject.
    Rejected,
    /// Its handler failed.
    Failed,
    /// It was signed but does not parse or lacks what its type needs.
    Malformed,
    /// The actor does not act on its type, though it was the activity's object or target.
    Ignored,
    /// Its signature did not verify (kept in memory only, by the server).
    Unverified,
    /// The actor's own activity could not be delivered and was given up.
    Undelivered,
}

impl Stage {
    /// The stage as the API names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Rejected => "rejected",
            Stage::Failed => "failed",
            Stage::Malformed => "malformed",
            Stage::Ignored => "ignored",
            Stage::Unverified => "unverified",
            Stage::Undelivered => "undelivered",
        }
    }
}

/// One entry of an error box.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// RFC 3339 time it was recorded.
    pub time: String,
    pub stage: Stage,
    /// The activity's id.
    #[serde(default)]
    pub activity: Option<String>,
    /// The activity's type.
    #[serde(default)]
    pub activity_type: Option<String>,
    /// Who sent it (for `undelivered`: the local actor that sent it).
    #[serde(default)]
    pub actor: Option<String>,
    /// The local actor it was for (for `undelivered`: the remote recipient or inbox).
    #[serde(default)]
    pub recipient: Option<String>,
    /// Why, in words safe to show.
    pub reason: String,
    /// The remote host (`host[:port]`) involved.
    #[serde(default)]
    pub host: Option<String>,
}

/// A stored slot: an entry and its seq in its ring (which orders the ring).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Slot {
    pub seq: u64,
    #[serde(flatten)]
    pub entry: Entry,
}

/// The time now in RFC 3339, UTC, to the millisecond, in fixed width: entries from the store
/// and from memory sort by it as text.
pub fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// `text` clipped to `max` characters, control characters replaced by spaces.
pub fn clip(text: &str, max: usize) -> String {
    text.chars()
        .take(max)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The `host[:port]` of an IRI, if it is one.
pub fn host_of(iri: &str) -> Option<String> {
    let url = url::Url::parse(iri).ok()?;
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    })
}

/// The IRI a property names: a string, or an object's `id`.
fn id_of(v: Option<&Value>) -> Option<&str> {
    match v? {
        Value::String(s) => Some(s),
        Value::Object(o) => o.get("id").and_then(Value::as_str),
        _ => None,
    }
}

impl Entry {
    /// An entry recorded now, with nothing but its stage and reason.
    pub fn new(stage: Stage, reason: impl Display) -> Entry {
        Entry {
            time: now(),
            stage,
            activity: None,
            activity_type: None,
            actor: None,
            recipient: None,
            reason: clip(&reason.to_string(), MAX_REASON),
            host: None,
        }
    }

    /// An entry about a received activity: its id, type and actor (and the actor's host) read
    /// from its JSON.
    pub fn about(stage: Stage, raw: &Value, reason: impl Display) -> Entry {
        let mut e = Entry::new(stage, reason);
        let text = |v: Option<&str>| v.map(|s| clip(s, MAX_TEXT));
        e.activity = text(raw.get("id").and_then(Value::as_str));
        e.activity_type = text(raw.get("type").and_then(Value::as_str));
        e.actor = text(id_of(raw.get("actor")));
        e.host = e.actor.as_deref().and_then(host_of);
        e
    }

    /// The same entry, for the local actor `recipient`.
    pub fn to(mut self, recipient: impl Display) -> Entry {
        self.recipient = Some(clip(&recipient.to_string(), MAX_TEXT));
        self
    }
}

/// A reason safe to show for a handler's error: the domain's own messages (which are written to
/// be shown), and only the kind of an internal failure.
pub fn safe_reason(e: &ActorError) -> String {
    match e {
        ActorError::NotFound(_)
        | ActorError::Conflict(_)
        | ActorError::Invalid(_)
        | ActorError::Forbidden(_)
        | ActorError::Unauthorized => e.to_string(),
        ActorError::Mailbox(_) | ActorError::Task(_) => {
            "the actor was busy or restarting; the activity was not processed".into()
        }
        _ => "an internal error stopped its processing (the instance's log has the details)".into(),
    }
}

/// Whether `raw` names `me` as its object or target (a string or an object's `id`).
pub fn is_about(raw: &Value, me: &str) -> bool {
    ["object", "target"]
        .iter()
        .any(|k| id_of(raw.get(*k)) == Some(me))
}

/// Takes the next seq of the counter at `key` (compare-and-swap, retried).
fn next_seq(tree: &Tree, key: &[u8]) -> Result<u64> {
    for _ in 0..CAS_TRIES {
        let old = tree.get(key)?;
        let n = old.as_deref().map_or(0, decode_u64);
        let new = (n + 1).to_be_bytes();
        if tree
            .compare_and_swap(key, old.as_deref(), Some(&new[..]))?
            .is_ok()
        {
            return Ok(n);
        }
    }
    Err(ActorError::Conflict(
        "the error box's counter is contended".into(),
    ))
}

/// Writes `entry` to the ring of `size` slots in `tree` whose counter is `counter` and whose
/// slot keys `slot_key` builds.
fn push(
    tree: &Tree,
    counter: &[u8],
    slot_key: impl Fn(u64) -> Vec<u8>,
    size: u64,
    entry: &Entry,
) -> Result<()> {
    let seq = next_seq(tree, counter)?;
    let slot = Slot {
        seq,
        entry: entry.clone(),
    };
    tree.insert(slot_key(seq % size), codec::encode(&slot)?)?;
    Ok(())
}

fn try_record(store: &Store, of: Option<&ActorRef>, entry: &Entry) -> Result<()> {
    if let Some(r) = of.filter(|r| store.actor_exists(r).unwrap_or(false)) {
        let ks = store.keyspace(r)?;
        let slot_key = |slot| ks.full_key(&layout::seq_key(ERROR_BOX, slot));
        push(
            ks.raw(),
            &ks.full_key(ERROR_BOX_NEXT),
            slot_key,
            ACTOR_RING,
            entry,
        )?;
    }
    let counter = layout::key(COUNTER, ERROR_BOX.as_bytes());
    let slot_key = |slot| layout::seq_key(ERROR_BOX, slot);
    push(store.instance(), &counter, slot_key, INSTANCE_RING, entry)
}

/// Records `entry` in the box of the stored local actor `of` (None, or an actor not stored:
/// only the instance's) and in the instance's box. Never fails: a storage error is logged.
pub fn record(store: &Store, of: Option<&ActorRef>, entry: &Entry) {
    tracing::debug!(stage = entry.stage.as_str(), activity = ?entry.activity, reason = %entry.reason, "error box");
    if let Err(e) = try_record(store, of, entry) {
        tracing::warn!(error = %e, "recording an entry in the error box failed");
    }
}

/// The entries of a ring's slots, newest first (a slot that does not decode is skipped).
fn read(slots: Entries) -> Result<Vec<Entry>> {
    let mut out: Vec<Slot> = Vec::new();
    for item in slots {
        if let Ok(slot) = codec::decode::<Slot>(&item?.1) {
            out.push(slot);
        }
    }
    out.sort_by_key(|s| std::cmp::Reverse(s.seq));
    Ok(out.into_iter().map(|s| s.entry).collect())
}

/// The error box of the local actor `r`, newest first (at most `ACTOR_RING`).
pub fn of_actor(store: &Store, r: &ActorRef) -> Result<Vec<Entry>> {
    let ks = store.keyspace(r)?;
    read(ks.scan_prefix(layout::prefix(ERROR_BOX)))
}

/// The instance's error box, newest first (at most `INSTANCE_RING`).
pub fn of_instance(store: &Store) -> Result<Vec<Entry>> {
    read(store.instance().scan_prefix(layout::prefix(ERROR_BOX)))
}

#[cfg(test)]
#[path = "error_box_tests.rs"]
mod tests;
