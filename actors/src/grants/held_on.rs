//! The active Grants a local person received (its `received-grant` keys), the best one per
//! resource: what a person may invoke on a resource of this or another instance (the web pages
//! pick the capability a form's activity carries from here; `held` lists from it). A Grant
//! counts while it is not revoked (as far as the person heard), not expired and of a known
//! role. Reads only.

use crate::actor::env::Env;
use crate::base::clock::parse_time;
use crate::base::error::Result;
use crate::base::kind::ActorRef;
use crate::data::received_grants::ReceivedGrant;
use crate::storage::codec;
use crate::storage::layout::{self, RECEIVED_GRANT};
use schema::Role;
use std::collections::BTreeMap;
use time::OffsetDateTime;
use url::Url;

/// One Grant a person holds: on `context`, of `role`, invoked as `grant`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldGrant {
    pub context: Url,
    pub grant: Url,
    pub role: Role,
}

/// Every active Grant `person` received, by the resource it is on (all roles).
pub fn active(env: &Env, person: &ActorRef) -> Result<BTreeMap<Url, Vec<HeldGrant>>> {
    let mut out: BTreeMap<Url, Vec<HeldGrant>> = BTreeMap::new();
    if !env.store.actor_exists(person)? {
        return Ok(out);
    }
    let ks = env.store.keyspace(person)?;
    let now = OffsetDateTime::now_utc();
    for entry in ks.scan_prefix(layout::prefix(RECEIVED_GRANT)) {
        let held: ReceivedGrant = codec::decode(&entry?.1)?;
        if let Some(g) = current(&held, now) {
            out.entry(g.context.clone()).or_default().push(g);
        }
    }
    Ok(out)
}

/// The Grant of the highest role `person` holds on `context`, if any.
pub fn best_on(env: &Env, person: &ActorRef, context: &Url) -> Result<Option<HeldGrant>> {
    let mut all = active(env, person)?;
    Ok(best(all.remove(context).unwrap_or_default()))
}

/// The Grant of the highest role among `grants`.
pub fn best(grants: Vec<HeldGrant>) -> Option<HeldGrant> {
    grants.into_iter().max_by_key(|g| g.role)
}

/// A received Grant, if it is still in force at `now`.
fn current(held: &ReceivedGrant, now: OffsetDateTime) -> Option<HeldGrant> {
    let g = &held.grant;
    let role = serde_json::from_value::<Role>(g["object"].clone()).ok()?;
    let context = g["context"].as_str().and_then(|c| Url::parse(c).ok())?;
    let grant = g["id"].as_str().and_then(|c| Url::parse(c).ok())?;
    let ended = g["endTime"]
        .as_str()
        .and_then(parse_time)
        .is_some_and(|e| e <= now);
    (!held.revoked && !ended).then_some(HeldGrant {
        context,
        grant,
        role,
    })
}
