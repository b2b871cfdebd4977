//! What the links made by mutual consent share: a resource keeps each invitation to link it to
//! another resource (an Add of a component to a project, `components::component_side`; an
//! Invite of a PatchTracker to a repository, `merge_requests::link`) until its admin answers,
//! and the admin's Accept makes it send its own Accept of the invitation.
//!
//! Keys in the invited resource's tree: `<prefix> 0xFF <invitation id>` -> the JSON entry of
//! the caller's type (`ProjectAdd`, `LinkInvite`).

use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::grants::capability;
use crate::publish::outbox;
use crate::publish::reject::reject;
use crate::storage::codec;
use crate::storage::layout;
use schema::Role;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use url::Url;

fn key(prefix: &str, id: &str) -> Vec<u8> {
    layout::key(prefix, id.as_bytes())
}

/// The entry kept for invitation `id`.
pub fn get<T: DeserializeOwned>(core: &ActorCore, prefix: &str, id: &str) -> Result<Option<T>> {
    match core.tree.get(key(prefix, id))? {
        Some(v) => Ok(Some(codec::decode(&v)?)),
        None => Ok(None),
    }
}

/// Keeps (or replaces) the entry of invitation `id`.
pub fn put<T: Serialize>(core: &ActorCore, prefix: &str, id: &str, entry: &T) -> Result<()> {
    core.tree.insert(key(prefix, id), codec::encode(entry)?)?;
    Ok(())
}

/// Every entry kept under `prefix`, with its invitation id.
pub fn all<T: DeserializeOwned>(core: &ActorCore, prefix: &str) -> Result<Vec<(String, T)>> {
    let pre = layout::prefix(prefix);
    let mut out = Vec::new();
    for item in core.tree.scan_prefix(&pre) {
        let (k, v) = item?;
        let id = String::from_utf8_lossy(&k[pre.len()..]).into_owned();
        out.push((id, codec::decode(&v)?));
    }
    Ok(out)
}

/// Whether an Accept answers an invitation kept under `prefix`.
pub fn answers_kept(core: &ActorCore, prefix: &str, activity: &schema::Activity) -> Result<bool> {
    match activity.object_id() {
        Some(id) => Ok(core.tree.get(key(prefix, id.as_str()))?.is_some()),
        None => Ok(false),
    }
}

/// An admin's Accept of an invitation kept under `prefix`: its id and entry once the Grant it
/// invokes (`admin` on this resource) is checked; None when nothing is kept for it, or after
/// the Reject.
pub fn admin_accept<T: DeserializeOwned>(
    core: &ActorCore,
    activity: &schema::Activity,
    raw: &Value,
    prefix: &str,
) -> Result<Option<(String, T)>> {
    let Some(id) = activity.object_id().map(Url::to_string) else {
        return Ok(None);
    };
    let Some(entry) = get(core, prefix, &id)? else {
        return Ok(None);
    };
    if let Err(why) = capability::check(core, activity, Role::Admin) {
        reject(core, activity, raw, &why)?;
        return Ok(None);
    }
    Ok(Some((id, entry)))
}

/// This resource's own Accept of the invitation (`invitation`, embedded), to the resource it
/// joins, the admin who accepted and the one who invited (each once).
pub fn accept_invitation(
    core: &ActorCore,
    activity: &schema::Activity,
    invitation: &Value,
    joined: &str,
    inviter: &str,
) -> Result<()> {
    let mut to: Vec<Url> = Vec::new();
    let admin = activity.actor_id().map(Url::as_str);
    for iri in [Some(joined), admin, Some(inviter)].into_iter().flatten() {
        if let Ok(u) = Url::parse(iri) {
            if !to.contains(&u) {
                to.push(u);
            }
        }
    }
    outbox::emit(core, "Accept", json!({ "object": invitation }), &to)?;
    Ok(())
}
