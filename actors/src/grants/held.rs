//! What a local person administers or may write to, by kind (the listing API): the resources
//! named as `context` by the active Grants the person received (their `received-grant` keys).
//! A local resource's role is read back from the resource's own Grants (`role_held_in`: so a
//! revoked or expired Grant lists nothing, even before the person heard of it); deleted ones are
//! never listed, private ones only to readers who may read them. Resources of other instances
//! are listed apart (`remote`): their type is not stored here, and their visibility is not
//! known, so only the person and the admins see them. Reads only.

use crate::actor::env::Env;
use crate::base::error::Result;
use crate::base::kind::{ActorKind, ActorRef};
use crate::data::grants::role_held_in;
use crate::data::listings::{is_private, stored_record, summary};
use crate::grants::held_on;
use crate::publish::audience::Reader;
use schema::Role;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use url::Url;

/// The lowest role a listing counts: `write` ("may write to") and above.
pub const LISTED_FROM: Role = Role::Write;

/// A person's resources of one kind: local ones, and Grants held on other instances.
#[derive(Debug)]
pub struct Held {
    pub items: Vec<Value>,
    pub remote: Vec<Value>,
}

/// The resources of `kind` that `person` holds at least `LISTED_FROM` on, as `reader` may see
/// them. None when there is no such person.
pub fn held_by(
    env: &Env,
    person: &ActorRef,
    kind: ActorKind,
    reader: &Reader,
) -> Result<Option<Held>> {
    if !env.store.actor_exists(person)? {
        return Ok(None);
    }
    let who = env.urls.actor(person);
    let sees_all = matches!(reader, Reader::Owner | Reader::Admin);
    let (mut items, mut remote) = (Vec::new(), Vec::new());
    for (context, grants) in active_grants(env, person)? {
        match env.urls.parse_actor(&context) {
            Some(r) if r.kind == kind => {
                if let Some(item) = local_item(env, &r, &who, reader)? {
                    items.push(item);
                }
            }
            Some(_) => {}
            None if sees_all => remote.extend(grants),
            None => {}
        }
    }
    Ok(Some(Held { items, remote }))
}

/// The active Grants of at least `LISTED_FROM` a person received, by the resource they are on.
fn active_grants(env: &Env, person: &ActorRef) -> Result<BTreeMap<Url, Vec<Value>>> {
    let mut out: BTreeMap<Url, Vec<Value>> = BTreeMap::new();
    for (context, grants) in held_on::active(env, person)? {
        let listed: Vec<Value> = grants
            .into_iter()
            .filter(|g| g.role >= LISTED_FROM)
            .map(|g| json!({"id": g.context, "role": g.role.as_str(), "grant": g.grant}))
            .collect();
        if !listed.is_empty() {
            out.insert(context, listed);
        }
    }
    Ok(out)
}

/// The entry of a local resource `who` holds a role on, if `reader` may see it.
fn local_item(env: &Env, r: &ActorRef, who: &Url, reader: &Reader) -> Result<Option<Value>> {
    let Some((ks, record)) = stored_record(env, r)? else {
        return Ok(None);
    };
    let Some(role) = role_held_in(&ks, who).filter(|role| *role >= LISTED_FROM) else {
        return Ok(None);
    };
    if is_private(&record) && !may_see(&ks, reader) {
        return Ok(None);
    }
    let mut item = summary(env, r, &ks, &record);
    item["role"] = json!(role.as_str());
    Ok(Some(item))
}

/// Whether `reader` may see a private resource: the person listed, an admin, or a holder of a
/// Grant on it (`visit` or more).
fn may_see(ks: &crate::storage::keyspace::ActorKeyspace, reader: &Reader) -> bool {
    match reader {
        Reader::Owner | Reader::Admin => true,
        Reader::Anonymous => false,
        Reader::Actor(who) => role_held_in(ks, who).is_some(),
    }
}

/// The highest active Grant `person` received on the local resource `context`, and its role:
/// the capability the web pages invoke for the person (a repository's settings). The role is
/// the one the resource itself still grants (`role_held_in`). None when the person holds no
/// active Grant of at least `LISTED_FROM` there.
pub fn capability_on(env: &Env, person: &ActorRef, context: &Url) -> Result<Option<(Role, Url)>> {
    let Some(r) = env.urls.parse_actor(context) else {
        return Ok(None);
    };
    let Some((ks, _)) = stored_record(env, &r)? else {
        return Ok(None);
    };
    let Some(held) = role_held_in(&ks, &env.urls.actor(person)) else {
        return Ok(None);
    };
    let grants = active_grants(env, person)?;
    let best = (grants.get(context).into_iter().flatten())
        .filter_map(|g| {
            let role = serde_json::from_value::<Role>(g["role"].clone()).ok()?;
            let id = Url::parse(g["grant"].as_str()?).ok()?;
            Some((role.min(held), id))
        })
        .max_by_key(|(role, _)| *role);
    Ok(best)
}
