//! The Repository-PatchTracker link, the tracker's side (ForgeFed "Repository-PatchTracker
//! Links"): the link is a Grant of `write` from the repository R to the tracker P, made by
//! mutual consent as a component joins a project.
//!
//! 1. An admin of R sends `Invite{object: P, target: R, instrument: write, capability}` to R and
//!    P. R checks the Grant (`activities::invite`); P keeps the Invite pending.
//! 2. An admin of P sends `Accept{object: <the Invite>, capability: <admin Grant on P>}` to P.
//!    P checks it (`admin`) and sends its own `Accept{object: <the Invite, embedded>}` to R.
//! 3. R, seeing the invitee accept, grants P `write` (and points to it: `sendPatchesTo`, see
//!    `repo_link`); P, given that Grant fulfilling the Invite it accepted, lists R in
//!    `tracksPatchesFor`.
//! 4. An admin of R removes P (`Remove{object: P, origin: R}`): R revokes the Grant and stops
//!    pointing to P; P, given the Revoke, drops R.
//!
//! Keys in P's tree: `link-invite 0xFF <Invite id>` -> JSON `LinkInvite`.

use crate::actor::state::ActorCore;
use crate::base::clock::now_rfc3339;
use crate::base::error::Result;
use crate::data::merge_requests::{linked_repositories, set_linked_repositories};
use crate::grants::capability;
use crate::publish::outbox;
use crate::publish::reject::reject;
use crate::storage::codec;
use crate::storage::layout::{self, LINK_INVITE};
use schema::Role;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

/// Where an Invite of this tracker to a repository stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkState {
    Pending,
    Accepted,
    Linked,
    Unlinked,
}

/// An Invite of this tracker to `write` on a repository.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LinkInvite {
    pub repository: String,
    pub inviter: String,
    /// The Invite as received, without `@context` (embedded in this tracker's Accept).
    pub invite: Value,
    pub state: LinkState,
    /// The repository's Grant, once given.
    #[serde(default)]
    pub grant: Option<String>,
    pub since: String,
}

fn key(invite: &str) -> Vec<u8> {
    layout::key(LINK_INVITE, invite.as_bytes())
}

fn get(core: &ActorCore, invite: &str) -> Result<Option<LinkInvite>> {
    match core.tree.get(key(invite))? {
        Some(v) => Ok(Some(codec::decode(&v)?)),
        None => Ok(None),
    }
}

fn put(core: &ActorCore, invite: &str, entry: &LinkInvite) -> Result<()> {
    core.tree.insert(key(invite), codec::encode(entry)?)?;
    Ok(())
}

/// Whether an Invite invites this tracker to another resource (rather than someone to it).
pub fn is_link_invite(core: &ActorCore, activity: &schema::Activity) -> bool {
    let me = core.iri();
    activity.object_id() == Some(&me) && activity.target_id().is_some_and(|t| *t != me)
}

/// An Invite of this tracker to a repository: kept pending until an admin of the tracker
/// accepts it. Only `write` (or more) makes a link.
pub fn invited(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    let (Some(id), Some(repo), Some(by)) =
        (&activity.id, activity.target_id(), activity.actor_id())
    else {
        tracing::info!("Invite of this tracker without id, target or actor; ignored");
        return Ok(());
    };
    if activity.instrument_role().is_none_or(|r| r < Role::Write) {
        tracing::info!(%repo, "Invite of this tracker below write; ignored");
        return Ok(());
    }
    if get(core, id.as_str())?.is_some() {
        return Ok(());
    }
    let entry = LinkInvite {
        repository: repo.to_string(),
        inviter: by.to_string(),
        invite: crate::base::embed::embedded(raw),
        state: LinkState::Pending,
        grant: None,
        since: now_rfc3339(),
    };
    put(core, id.as_str(), &entry)?;
    tracing::info!(%repo, invite = %id, "link to a repository pending the admin's Accept");
    Ok(())
}

/// Whether an Accept answers a link Invite this tracker keeps.
pub fn handles_accept(core: &ActorCore, activity: &schema::Activity) -> Result<bool> {
    match activity.object_id() {
        Some(id) => Ok(get(core, id.as_str())?.is_some()),
        None => Ok(false),
    }
}

/// The tracker's admin accepts a link Invite: the tracker accepts it to the repository.
pub fn accept(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    let Some(id) = activity.object_id().cloned() else {
        return Ok(());
    };
    let Some(mut entry) = get(core, id.as_str())? else {
        return Ok(());
    };
    if let Err(why) = capability::check(core, activity, Role::Admin) {
        return reject(core, activity, raw, &why);
    }
    if matches!(entry.state, LinkState::Linked | LinkState::Unlinked) {
        return reject(core, activity, raw, "this Invite was already answered");
    }
    let mut to: Vec<Url> = Vec::new();
    let admin = activity.actor_id().map(Url::as_str);
    for iri in [Some(entry.repository.as_str()), admin, Some(&entry.inviter)] {
        if let Some(u) = iri.and_then(|s| Url::parse(s).ok()) {
            if !to.contains(&u) {
                to.push(u);
            }
        }
    }
    outbox::emit(core, "Accept", json!({ "object": entry.invite }), &to)?;
    entry.state = LinkState::Accepted;
    put(core, id.as_str(), &entry)?;
    tracing::info!(repository = %entry.repository, "link Invite accepted");
    Ok(())
}

/// A Grant to this tracker: the repository's `write` fulfilling an accepted link Invite links
/// it (`tracksPatchesFor`). Any other Grant is kept in the inbox only.
pub fn granted(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    let me = core.iri();
    let (Some(grant), Some(issuer)) = (activity.id.as_ref(), activity.actor_id()) else {
        return Ok(());
    };
    let fulfills = raw["fulfills"].as_str().unwrap_or_default();
    let role = activity.object_role();
    let ours = activity.target_id() == Some(&me)
        && activity.context_id() == Some(issuer)
        && role.is_some_and(|r| r >= Role::Write);
    let entry = get(core, fulfills)?.filter(|e| e.repository == issuer.as_str());
    let Some(mut entry) = entry.filter(|e| ours && e.state == LinkState::Accepted) else {
        tracing::info!(%grant, "a Grant that fulfills no accepted link Invite; kept only");
        return Ok(());
    };
    let mut repos = linked_repositories(&core.record);
    if !repos.contains(&entry.repository) {
        repos.push(entry.repository.clone());
        set_linked_repositories(&mut core.record, repos);
        core.save_record()?;
    }
    entry.state = LinkState::Linked;
    entry.grant = Some(grant.to_string());
    put(core, fulfills, &entry)?;
    tracing::info!(repository = %issuer, "tracking patches for the repository");
    Ok(())
}

/// A Revoke by a linked repository of its Grant to this tracker: the link is gone.
pub fn revoked(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    let Some(revoker) = activity.actor_id().map(Url::to_string) else {
        return Ok(());
    };
    let id_of = |v: &Value| v.as_str().or_else(|| v["id"].as_str()).map(str::to_string);
    let ids: Vec<String> = match &raw["object"] {
        Value::Array(items) => items.iter().filter_map(id_of).collect(),
        other => id_of(other).into_iter().collect(),
    };
    for item in core.tree.scan_prefix(layout::prefix(LINK_INVITE)) {
        let (k, v) = item?;
        let mut entry: LinkInvite = codec::decode(&v)?;
        let named = entry.grant.as_ref().is_some_and(|g| ids.contains(g));
        if !named || entry.repository != revoker || entry.state != LinkState::Linked {
            continue;
        }
        entry.state = LinkState::Unlinked;
        core.tree.insert(k, codec::encode(&entry)?)?;
        let mut repos = linked_repositories(&core.record);
        repos.retain(|r| *r != revoker);
        set_linked_repositories(&mut core.record, repos);
        core.save_record()?;
        tracing::info!(repository = %revoker, "no longer tracking patches for the repository");
    }
    Ok(())
}
