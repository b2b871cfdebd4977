//! Object capabilities (ForgeFed OCAP): the Grants a resource issues, their state, and the check
//! every guarded action makes on the Grant an activity invokes.
//!
//! Keys in a resource's tree:
//! - `grant 0xFF <grant local id>` -> JSON `GrantRecord` (the last segment of the Grant's IRI)
//! - `granted 0xFF <target iri> 0xFF <grant local id>` -> empty (a person's Grants, for Remove)

use crate::core::{now_rfc3339, ActorCore};
use crate::error::{ActorError, Result};
use crate::publish;
use crate::storage::codec;
use crate::storage::layout::{self, GRANT, GRANTED, SEP};
use schema::Role;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
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

/// Parses an xsd:dateTime / RFC 3339 time.
pub fn parse_time(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

fn granted_key(target: &str, local: &str) -> Vec<u8> {
    let mut k = layout::key(GRANTED, target.as_bytes());
    k.push(SEP);
    k.extend_from_slice(local.as_bytes());
    k
}

/// The local id of one of this actor's activity IRIs (`<iri>/activities/<local>`).
pub fn local_activity_id<'a>(core: &ActorCore, iri: &'a Url) -> Option<&'a str> {
    let prefix = format!("{}/activities/", core.iri());
    iri.as_str().strip_prefix(prefix.as_str())
}

impl ActorCore {
    /// Issues a Grant of `role` on this resource to `target` and sends it (to the target, cc the
    /// others given). Answers the Grant's IRI.
    pub fn issue_grant(
        &self,
        target: &Url,
        role: Role,
        fulfills: Option<&Url>,
        window: &Window,
        cc: &[Url],
    ) -> Result<Url> {
        let me = self.iri();
        let mut fields = json!({
            "object": role.as_str(),
            "context": me,
            "target": target,
            "allows": "invoke",
            "startTime": window.start_time.clone().unwrap_or_else(now_rfc3339),
        });
        if let Some(f) = fulfills {
            fields["fulfills"] = json!(f);
        }
        if let Some(end) = &window.end_time {
            fields["endTime"] = json!(end);
        }
        if !cc.is_empty() {
            fields["cc"] = json!(cc);
        }
        let id = publish::emit(self, "Grant", fields.clone(), std::slice::from_ref(target))?;
        let local = local_activity_id(self, &id)
            .ok_or_else(|| ActorError::Task("grant id outside the actor".into()))?
            .to_string();
        if self
            .tree
            .contains_key(layout::key(GRANT, local.as_bytes()))?
        {
            // A re-run after a crash: this Grant exists (and may have been revoked since).
            return Ok(id);
        }
        let record = GrantRecord {
            id: id.to_string(),
            target: target.to_string(),
            role,
            context: me.to_string(),
            fulfills: fulfills.map(|f| f.to_string()),
            start_time: fields["startTime"].as_str().map(str::to_string),
            end_time: window.end_time.clone(),
            revoked: false,
            issued: now_rfc3339(),
        };
        let mut batch = self.tree.batch();
        batch.insert(
            layout::key(GRANT, local.as_bytes()),
            codec::encode(&record)?,
        );
        batch.insert(granted_key(target.as_str(), &local), &[][..]);
        self.tree.apply_batch(batch)?;
        if !self.urls.is_local(target) {
            // A remote grantee may push or clone here over SSH with the keys their home lists.
            crate::remote_ssh_keys::RemoteSshKeys::new(self.store.clone()).add_grantee(target)?;
        }
        tracing::info!(grant = %id, %target, role = %role, "granted");
        Ok(id)
    }

    /// One issued Grant by local id.
    pub fn grant_record(&self, local: &str) -> Result<Option<GrantRecord>> {
        match self.tree.get(layout::key(GRANT, local.as_bytes()))? {
            Some(v) => Ok(Some(codec::decode(&v)?)),
            None => Ok(None),
        }
    }

    /// Every Grant this resource issued, in id order.
    pub fn grant_records(&self) -> Result<Vec<GrantRecord>> {
        let mut out = Vec::new();
        for entry in self.tree.scan_prefix(layout::prefix(GRANT)) {
            out.push(codec::decode(&entry?.1)?);
        }
        Ok(out)
    }

    /// The highest role `who` holds through active Grants of this resource.
    pub fn role_held_by(&self, who: &Url) -> Option<Role> {
        let mut pre = layout::key(GRANTED, who.as_str().as_bytes());
        pre.push(SEP);
        let now = OffsetDateTime::now_utc();
        let mut best: Option<Role> = None;
        for entry in self.tree.scan_prefix(&pre).flatten() {
            let local = String::from_utf8_lossy(&entry.0[pre.len()..]).to_string();
            let Ok(Some(r)) = self.grant_record(&local) else {
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
    pub fn revoke_grants_of(&self, target: &Url) -> Result<Vec<Url>> {
        let mut pre = layout::key(GRANTED, target.as_str().as_bytes());
        pre.push(SEP);
        let mut revoked = Vec::new();
        for entry in self.tree.scan_prefix(&pre) {
            let (k, _) = entry?;
            let local = String::from_utf8_lossy(&k[pre.len()..]).to_string();
            if let Some(mut record) = self.grant_record(&local)? {
                if !record.revoked {
                    record.revoked = true;
                    self.tree.insert(
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

    /// Checks the capability an activity invokes for an action needing `required`. Answers the
    /// Grant, or the reason to give in a Reject.
    pub fn check_capability(
        &self,
        activity: &schema::Activity,
        required: Role,
    ) -> std::result::Result<GrantRecord, String> {
        let sender = activity.actor_id().ok_or("the activity has no actor")?;
        let cap = activity.capability.as_ref().ok_or_else(|| {
            format!("this action needs a capability (a Grant of at least {required})")
        })?;
        if !self.urls.is_local(cap) {
            return Err(format!("capability {cap} is not a Grant of this instance"));
        }
        let Some(local) = local_activity_id(self, cap) else {
            return Err(format!(
                "capability {cap} was not issued by this resource: its context is not {}",
                self.iri()
            ));
        };
        let record = match self.grant_record(local) {
            Ok(Some(r)) => r,
            Ok(None) => {
                return Err(format!(
                    "capability {cap} is not a Grant this resource issued"
                ))
            }
            Err(e) => return Err(format!("capability {cap} cannot be read: {e}")),
        };
        if record.context != self.iri().as_str() {
            return Err(format!(
                "the Grant's context is {}, not this resource",
                record.context
            ));
        }
        if record.target != sender.as_str() {
            return Err(format!(
                "the Grant was given to {}, not to {sender}",
                record.target
            ));
        }
        if record.revoked {
            return Err("the Grant was revoked".into());
        }
        let now = OffsetDateTime::now_utc();
        if let Some(start) = record.start_time.as_deref().and_then(parse_time) {
            if start > now {
                return Err(format!("the Grant is not valid before {start}"));
            }
        }
        if let Some(end) = record.end_time.as_deref().and_then(parse_time) {
            if end <= now {
                return Err(format!("the Grant expired at {end}"));
            }
        }
        if record.role < required {
            return Err(format!(
                "the Grant's role {} is lower than the {required} this action needs",
                record.role
            ));
        }
        Ok(record)
    }

    /// Sends a Reject of an activity to its actor, with the reason.
    pub fn reject(&self, activity: &schema::Activity, raw: &Value, why: &str) -> Result<()> {
        tracing::info!(reason = why, "rejecting activity");
        let Some(sender) = activity.actor_id() else {
            return Ok(());
        };
        publish::emit(
            self,
            "Reject",
            json!({ "object": crate::activities::embedded(raw), "summary": why }),
            std::slice::from_ref(sender),
        )?;
        Ok(())
    }

    /// Items of the `grants` collection of a resource: each Grant with its state.
    pub fn issued_grants_items(&self) -> Result<Vec<Value>> {
        let now = OffsetDateTime::now_utc();
        let mut out = Vec::new();
        for r in self.grant_records()? {
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
                "id": r.id, "type": "Grant", "actor": self.iri(), "context": r.context,
                "target": r.target, "object": r.role.as_str(), "allows": "invoke",
                "fulfills": r.fulfills, "startTime": r.start_time, "endTime": r.end_time,
                "state": state,
            }));
        }
        Ok(out)
    }
}
