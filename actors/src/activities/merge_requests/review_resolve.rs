//! `Resolve{object: <review thread>}` resolves a thread (`isResolved`, `resolvedBy`,
//! `resolved`); `Undo{object: Resolve{object: <review thread>}}` unresolves it (ForgeFed
//! "Resolve a review thread", "Unresolve a review thread"). Both need a capability of at least
//! `write` on the tracker. The tracker answers `Accept{object: <the activity>, context:
//! <thread>}` to the sender, cc the merge request's followers; any failure is a Reject.

use crate::activities::tickets::resolve as ticket_resolve;
use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::data::reviews;
use crate::grants::capability;
use crate::publish::reject::reject;
use crate::urls::{tracker_of_review_part, ReviewPart, ThreadId};
use schema::Role;
use serde_json::Value;
use url::Url;

/// Whether an IRI has the shape of a review thread's.
pub fn names_thread(iri: Option<&Url>) -> bool {
    iri.and_then(tracker_of_review_part)
        .is_some_and(|(_, part)| part == ReviewPart::Thread)
}

pub use crate::activities::tickets::resolve::undone_object_of;

/// The thread an activity names, checked against the Grant.
fn thread_of(
    core: &ActorCore,
    activity: &schema::Activity,
    object: Option<&Url>,
) -> std::result::Result<ThreadId, String> {
    let iri = object.ok_or("the Resolve names no review thread (object)")?;
    let id = core
        .env
        .urls
        .parse_mr_thread(iri)
        .filter(|(tracker, _)| *tracker == core.r)
        .map(|(_, id)| id)
        .filter(|id| reviews::thread(core, *id).ok().flatten().is_some())
        .ok_or_else(|| format!("{iri} is not a review thread of this tracker"))?;
    capability::check(core, activity, Role::Write)?;
    Ok(id)
}

/// Resolves (`resolve`) or unresolves a thread for the activity's actor, then answers.
fn set(
    core: &ActorCore,
    activity: &schema::Activity,
    raw: &Value,
    id: ThreadId,
    resolve: bool,
) -> Result<()> {
    let Some(mut thread) = reviews::thread(core, id)? else {
        return reject(core, activity, raw, "no such review thread");
    };
    let Some(actor) = activity.actor_id().cloned() else {
        return Ok(());
    };
    let what = "review thread";
    if let Err(why) =
        ticket_resolve::change(&mut thread.resolution, activity, &actor, resolve, what)
    {
        return reject(core, activity, raw, &why);
    }
    reviews::save_thread(core, &thread)?;
    let iri = core.env.urls.mr_thread(&core.r, id);
    tracing::info!(thread = %iri, by = %actor, resolved = resolve, "review thread state changed");
    ticket_resolve::answer(core, raw, &actor, id.n, &iri)
}

/// A Resolve of a review thread (`resolve`), or the Undo of an embedded one, received by the
/// tracker.
pub fn resolved(
    core: &mut ActorCore,
    activity: &schema::Activity,
    raw: &Value,
    resolve: bool,
) -> Result<()> {
    let object = ticket_resolve::object_of(activity, resolve);
    match thread_of(core, activity, object.as_ref()) {
        Ok(id) => set(core, activity, raw, id, resolve),
        Err(why) => reject(core, activity, raw, &why),
    }
}
