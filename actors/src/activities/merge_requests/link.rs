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
//!    pointing to P; P, given the Revoke, drops R. Or an admin of P removes R (`Remove{object:
//!    R, origin: P}`, `link_remove`): P drops R and sends R a `Leave`, which makes R revoke.
//!
//! Keys in P's tree: `link-invite 0xFF <Invite id>` -> JSON `LinkInvite` (`activities::consent`).

use crate::activities::consent;
use crate::actor::state::ActorCore;
use crate::base::clock::now_rfc3339;
use crate::base::error::Result;
use crate::data::merge_requests::{linked_repositories, set_linked_repositories};
use crate::publish::reject::reject;
use crate::storage::layout::LINK_INVITE;
use schema::Role;
use serde::{Deserialize, Serialize};
use serde_json::Value;
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

fn get(core: &ActorCore, invite: &str) -> Result<Option<LinkInvite>> {
    consent::get(core, LINK_INVITE, invite)
}

fn put(core: &ActorCore, invite: &str, entry: &LinkInvite) -> Result<()> {
    consent::put(core, LINK_INVITE, invite, entry)
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
    consent::answers_kept(core, LINK_INVITE, activity)
}

/// The tracker's admin accepts a link Invite: the tracker accepts it to the repository.
pub fn accept(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    let Some((id, mut entry)) =
        consent::admin_accept::<LinkInvite>(core, activity, raw, LINK_INVITE)?
    else {
        return Ok(());
    };
    if matches!(entry.state, LinkState::Linked | LinkState::Unlinked) {
        return reject(core, activity, raw, "this Invite was already answered");
    }
    let (repo, inviter) = (&entry.repository, &entry.inviter);
    consent::accept_invitation(core, activity, &entry.invite, repo, inviter)?;
    entry.state = LinkState::Accepted;
    put(core, &id, &entry)?;
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
    for (invite, entry) in consent::all::<LinkInvite>(core, LINK_INVITE)? {
        let named = entry.grant.as_ref().is_some_and(|g| ids.contains(g));
        if named && entry.repository == revoker && entry.state == LinkState::Linked {
            unlink(core, &invite, entry)?;
            tracing::info!(repository = %revoker, "no longer tracking patches for the repository");
        }
    }
    Ok(())
}

/// The link of `entry` (kept for `invite`) is gone: it is unlinked and its repository dropped
/// from `tracksPatchesFor`.
pub fn unlink(core: &mut ActorCore, invite: &str, mut entry: LinkInvite) -> Result<()> {
    entry.state = LinkState::Unlinked;
    put(core, invite, &entry)?;
    let mut repos = linked_repositories(&core.record);
    repos.retain(|r| *r != entry.repository);
    set_linked_repositories(&mut core.record, repos);
    core.save_record()
}
