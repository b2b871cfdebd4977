//! The Repository-PatchTracker link removed from the tracker's side (ForgeFed
//! "Repository-PatchTracker Links", Removing; "Waiving access using Leave activities"), the
//! mirror of the repository admin's `Remove{object: P, origin: R}`:
//!
//! 1. An admin of the tracker P sends `Remove{object: R, origin: P, capability: <admin Grant on
//!    P>}` to P.
//! 2. P checks the Grant (`admin`) and that it tracks patches for R (else a Reject, nothing
//!    changed), drops R from `tracksPatchesFor`, sends `Leave{object: R}` to R and answers the
//!    admin with `Accept{object: <the Remove>}`; its followers are told by `Update`
//!    (`kinds::patch_tracker`).
//! 3. R, given the Leave (`activities::leave`), revokes P's `write` (`Revoke{fulfills: <the
//!    Leave>}`) and stops pointing to P (`sendPatchesTo`, `repo_link::after_remove`); its
//!    followers are told by `Update`.

use crate::activities::consent;
use crate::activities::merge_requests::link::{self, LinkInvite, LinkState};
use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::base::kind::ActorKind;
use crate::data::merge_requests::linked_repositories;
use crate::grants::capability;
use crate::publish::outbox;
use crate::publish::reject::reject;
use crate::storage::layout::LINK_INVITE;
use schema::Role;
use serde_json::{json, Value};

/// Whether a Remove received by the tracker names a repository (rather than a person): one it
/// is or was linked to or invited by, a local Repository, or one embedded as such.
pub fn names_repository(
    core: &ActorCore,
    activity: &schema::Activity,
    raw: &Value,
) -> Result<bool> {
    let Some(object) = activity.object_id() else {
        return Ok(false);
    };
    let urls = &core.env.urls;
    let local_repository = urls.is_local(object)
        && urls
            .parse_actor(object)
            .is_some_and(|r| r.kind == ActorKind::Repository);
    if local_repository || raw["object"]["type"] == "Repository" {
        return Ok(true);
    }
    if linked_repositories(&core.record).contains(&object.to_string()) {
        return Ok(true);
    }
    let entries = consent::all::<LinkInvite>(core, LINK_INVITE)?;
    Ok(entries.iter().any(|(_, e)| e.repository == object.as_str()))
}

/// A tracker admin's Remove of a repository: unlinks it, tells it (Leave) and the admin
/// (Accept). Answers whether the link is gone (the tracker's document changed).
pub fn removed(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<bool> {
    let refused = |why: &str| reject(core, activity, raw, why).map(|_| false);
    let me = core.iri();
    if activity.origin_id() != Some(&me) && activity.target_id() != Some(&me) {
        return refused("the Remove's origin is not this tracker");
    }
    let Some(repo) = activity.object_id().cloned() else {
        return Ok(false);
    };
    if let Err(why) = capability::check(core, activity, Role::Admin) {
        return refused(&why.to_string());
    }
    let linked = consent::all::<LinkInvite>(core, LINK_INVITE)?
        .into_iter()
        .find(|(_, e)| e.repository == repo.as_str() && e.state == LinkState::Linked);
    let Some((invite, entry)) = linked else {
        return refused(&format!("this tracker does not track patches for {repo}"));
    };
    link::unlink(core, &invite, entry)?;
    outbox::emit(
        core,
        "Leave",
        json!({ "object": repo }),
        std::slice::from_ref(&repo),
    )?;
    if let Some(admin) = activity.actor_id() {
        let answer = json!({ "object": crate::base::embed::embedded(raw), "context": repo });
        outbox::emit(core, "Accept", answer, std::slice::from_ref(admin))?;
    }
    tracing::info!(repository = %repo, "the tracker's admin removed the repository");
    Ok(true)
}
