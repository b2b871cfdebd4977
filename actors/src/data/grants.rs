//! The Grants a resource issued, as it stores them (ForgeFed OCAP): their records and state, the
//! role a person holds, revoking. Issuing is `grants::issue`, the check `grants::capability`.
//!
//! Keys in a resource's tree:
//! - `grant 0xFF <grant local id>` -> JSON `GrantRecord` (the last segment of the Grant's IRI)
//! - `granted 0xFF <target iri> 0xFF <grant local id>` -> empty (a person's Grants, for Remove)

use crate::actor::state::ActorCore;
use crate::base::clock::parse_time;
use crate::base::error::{ActorError, Result};
use crate::storage::codec;
use crate::storage::keyspace::ActorKeyspace;
use crate::storage::layout::{self, GRANT, GRANTED, SEP};
use schema::Role;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use time::OffsetDateTime;
use url::Url;

/// A Grant this resource issued, with its state.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GrantRecord {
    pub id: String,
    pub target: String,
    pub role: Role,
    pub context: String,
    #[serde(default)]
    pub fulfills: Option<String>,
    #[serde(default)]
    pub start_time: Option<String>,
    #[serde(default)]
    pub end_time: Option<String>,
    #[serde(default)]
    pub revoked: bool,
    pub issued: String,
}

/// Validity window of a new Grant (RFC 3339 strings, checked).
#[derive(Debug, Clone, Default)]
pub struct Window {
    pub start_time: Option<String>,
    pub end_time: Option<String>,
}

impl Window {
    /// Reads startTime/endTime of an activity (e.g. an Invite), refusing unparseable values.
    pub fn from_activity(a: &schema::Activity) -> Result<Window> {
        for t in [&a.start_time, &a.end_time].into_iter().flatten() {
            parse_time(t).ok_or_else(|| ActorError::Invalid(format!("bad time {t:?}")))?;
        }
        Ok(Window {
            start_time: a.start_time.clone(),
            end_time: a.end_time.clone(),
        })
    }
}

pub fn granted_key(target: &str, local: &str) -> Vec<u8> {
    let mut k = layout::key(GRANTED, target.as_bytes());
    k.push(SEP);
    k.extend_from_slice(local.as_bytes());
    k
}

/// The local id of one of this actor's activity IRIs (`<iri>/activities/<local>`).
pub fn local_activity_id<'a>(core: &ActorCore, iri: &'a Url) -> Option<&'a str> {
    core.env.urls.activity_local_id(&core.r, iri.as_str())
}

/// One issued Grant by local id.
pub fn record(core: &ActorCore, local: &str) -> Result<Option<GrantRecord>> {
    match core.tree.get(layout::key(GRANT, local.as_bytes()))? {
        Some(v) => Ok(Some(codec::decode(&v)?)),
        None => Ok(None),
    }
}

/// Every Grant this resource issued, in id order.
pub fn records(core: &ActorCore) -> Result<Vec<GrantRecord>> {
    let mut out = Vec::new();
    for entry in core.tree.scan_prefix(layout::prefix(GRANT)) {
        out.push(codec::decode(&entry?.1)?);
    }
    Ok(out)
}

/// The highest role `who` holds through active Grants of this resource.
pub fn role_held_by(core: &ActorCore, who: &Url) -> Option<Role> {
    role_held_in(&core.tree, who)
}

/// `role_held_by` over a resource's keyspace, read without activating it (listings).
pub fn role_held_in(ks: &ActorKeyspace, who: &Url) -> Option<Role> {
    let mut pre = layout::key(GRANTED, who.as_str().as_bytes());
    pre.push(SEP);
    let now = OffsetDateTime::now_utc();
    let mut best: Option<Role> = None;
    for entry in ks.scan_prefix(&pre).flatten() {
        let local = String::from_utf8_lossy(&entry.0[pre.len()..]).to_string();
        let Ok(Some(bytes)) = ks.get(layout::key(GRANT, local.as_bytes())) else {
            continue;
        };
        let Ok(r) = codec::decode::<GrantRecord>(&bytes) else {
            continue;
        };
        let started = r
            .start_time
            .as_deref()
            .and_then(parse_time)
            .is_none_or(|s| s <= now);
        let current = r
            .end_time
            .as_deref()
            .and_then(parse_time)
            .is_none_or(|e| e > now);
        if !r.revoked && started && current {
            best = best.max(Some(r.role));
        }
    }
    best
}

/// Revokes every active Grant issued to `target`; answers their IRIs.
pub fn revoke_all_of(core: &ActorCore, target: &Url) -> Result<Vec<Url>> {
    let mut pre = layout::key(GRANTED, target.as_str().as_bytes());
    pre.push(SEP);
    let mut revoked = Vec::new();
    for entry in core.tree.scan_prefix(&pre) {
        let (k, _) = entry?;
        let local = String::from_utf8_lossy(&k[pre.len()..]).to_string();
        if let Some(mut record) = record(core, &local)? {
            if !record.revoked {
                record.revoked = true;
                core.tree.insert(
                    layout::key(GRANT, local.as_bytes()),
                    codec::encode(&record)?,
                )?;
                if let Ok(u) = Url::parse(&record.id) {
                    revoked.push(u);
                }
            }
        }
    }
    Ok(revoked)
}

/// Items of the `grants` collection of a resource: each Grant with its state.
pub fn items(core: &ActorCore) -> Result<Vec<Value>> {
    let now = OffsetDateTime::now_utc();
    let mut out = Vec::new();
    for r in records(core)? {
        let expired = r
            .end_time
            .as_deref()
            .and_then(parse_time)
            .is_some_and(|e| e <= now);
        let state = if r.revoked {
            "revoked"
        } else if expired {
            "expired"
        } else {
            "active"
        };
        out.push(json!({
            "id": r.id, "type": "Grant", "actor": core.iri(), "context": r.context,
            "target": r.target, "object": r.role.as_str(), "allows": "invoke",
            "fulfills": r.fulfills, "startTime": r.start_time, "endTime": r.end_time,
            "state": state,
        }));
    }
    Ok(out)
}
