//! The capability check every guarded action makes on the Grant an activity invokes. Pure: it
//! reads the resource's Grants and answers the Grant or a typed `Refusal`; the caller sends the
//! Reject (its `summary` is the refusal's text).

use crate::actor::state::ActorCore;
use crate::base::clock::parse_time;
use crate::data::grants;
use crate::data::grants::{local_activity_id, GrantRecord};
use schema::Role;
use std::fmt;
use time::OffsetDateTime;
use url::Url;

/// Why the Grant an activity invokes does not allow its action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NoActor,
    NoCapability { required: Role },
    NotOfThisInstance { cap: String },
    NotIssuedHere { cap: String, me: String },
    UnknownGrant { cap: String },
    Unreadable { cap: String, error: String },
    OtherContext { context: String },
    OtherTarget { target: String, sender: String },
    Revoked,
    NotYetValid { start: OffsetDateTime },
    Expired { end: OffsetDateTime },
    RoleTooLow { role: Role, required: Role },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NoActor => write!(f, "the activity has no actor"),
            Refusal::NoCapability { required } => write!(
                f,
                "this action needs a capability (a Grant of at least {required})"
            ),
            Refusal::NotOfThisInstance { cap } => {
                write!(f, "capability {cap} is not a Grant of this instance")
            }
            Refusal::NotIssuedHere { cap, me } => write!(
                f,
                "capability {cap} was not issued by this resource: its context is not {me}"
            ),
            Refusal::UnknownGrant { cap } => {
                write!(f, "capability {cap} is not a Grant this resource issued")
            }
            Refusal::Unreadable { cap, error } => {
                write!(f, "capability {cap} cannot be read: {error}")
            }
            Refusal::OtherContext { context } => {
                write!(f, "the Grant's context is {context}, not this resource")
            }
            Refusal::OtherTarget { target, sender } => {
                write!(f, "the Grant was given to {target}, not to {sender}")
            }
            Refusal::Revoked => write!(f, "the Grant was revoked"),
            Refusal::NotYetValid { start } => write!(f, "the Grant is not valid before {start}"),
            Refusal::Expired { end } => write!(f, "the Grant expired at {end}"),
            Refusal::RoleTooLow { role, required } => write!(
                f,
                "the Grant's role {role} is lower than the {required} this action needs"
            ),
        }
    }
}

impl From<Refusal> for String {
    fn from(r: Refusal) -> String {
        r.to_string()
    }
}

/// Checks the capability an activity invokes for an action needing `required`: answers the
/// Grant, or why it does not allow the action.
pub fn check(
    core: &ActorCore,
    activity: &schema::Activity,
    required: Role,
) -> Result<GrantRecord, Refusal> {
    let sender = activity.actor_id().ok_or(Refusal::NoActor)?;
    let cap = activity
        .capability
        .as_ref()
        .ok_or(Refusal::NoCapability { required })?;
    let record = issued_grant(core, cap)?;
    if record.context != core.iri().as_str() {
        return Err(Refusal::OtherContext {
            context: record.context,
        });
    }
    if record.target != sender.as_str() {
        return Err(Refusal::OtherTarget {
            target: record.target,
            sender: sender.to_string(),
        });
    }
    valid_now(&record)?;
    if record.role < required {
        return Err(Refusal::RoleTooLow {
            role: record.role,
            required,
        });
    }
    Ok(record)
}

/// The Grant `cap` names, if this resource issued it.
fn issued_grant(core: &ActorCore, cap: &Url) -> Result<GrantRecord, Refusal> {
    if !core.env.urls.is_local(cap) {
        return Err(Refusal::NotOfThisInstance {
            cap: cap.to_string(),
        });
    }
    let Some(local) = local_activity_id(core, cap) else {
        return Err(Refusal::NotIssuedHere {
            cap: cap.to_string(),
            me: core.iri().to_string(),
        });
    };
    match grants::record(core, local) {
        Ok(Some(r)) => Ok(r),
        Ok(None) => Err(Refusal::UnknownGrant {
            cap: cap.to_string(),
        }),
        Err(e) => Err(Refusal::Unreadable {
            cap: cap.to_string(),
            error: e.to_string(),
        }),
    }
}

/// Whether a Grant is in force now: not revoked, started, not expired.
fn valid_now(record: &GrantRecord) -> Result<(), Refusal> {
    if record.revoked {
        return Err(Refusal::Revoked);
    }
    let now = OffsetDateTime::now_utc();
    if let Some(start) = record.start_time.as_deref().and_then(parse_time) {
        if start > now {
            return Err(Refusal::NotYetValid { start });
        }
    }
    if let Some(end) = record.end_time.as_deref().and_then(parse_time) {
        if end <= now {
            return Err(Refusal::Expired { end });
        }
    }
    Ok(())
}
