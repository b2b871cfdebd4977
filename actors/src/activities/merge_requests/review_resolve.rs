//! `Resolve{object: <review thread>}` resolves a thread (`isResolved`, `resolvedBy`,
//! `resolved`); `Undo{object: Resolve{object: <review thread>}}` unresolves it (ForgeFed
//! "Resolve a review thread", "Unresolve a review thread"). Both need a capability of at least
//! `write` on the tracker. The tracker answers `Accept{object: <the activity>, context:
//! <thread>}` to the sender, cc the merge request's followers; any failure is a Reject.

use crate::actor::state::ActorCore;
use crate::base::clock::now_rfc3339;
use crate::base::error::Result;
use crate::data::reviews;
use crate::data::tickets::{self, Resolution};
use crate::grants::capability;
use crate::publish::outbox;
use crate::publish::reject::reject;
use crate::urls::{tracker_of_review_part, ReviewPart, ThreadId, TicketPart};
use schema::Role;
use serde_json::{json, Value};
use url::Url;

/// Whether an IRI has the shape of a review thread's.
pub fn names_thread(iri: Option<&Url>) -> bool {
    iri.and_then(tracker_of_review_part)
        .is_some_and(|(_, part)| part == ReviewPart::Thread)
}

/// The object of the Resolve an Undo embeds.
pub fn undone_object_of(activity: &schema::Activity) -> Option<Url> {
    let inner = activity
        .object
        .as_ref()?
        .as_object()?
        .extra_field("object")?;
    let iri = inner.as_str().or_else(|| inner["id"].as_str())?;
    Url::parse(iri).ok()
}

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
    match (resolve, thread.resolution.is_some()) {
        (true, true) => {
            return reject(core, activity, raw, "the review thread is already resolved")
        }
        (false, false) => return reject(core, activity, raw, "the review thread is not resolved"),
        _ => {}
    }
    thread.resolution = resolve.then(|| Resolution {
        by: actor.to_string(),
        at: now_rfc3339(),
        activity: activity
            .id
            .as_ref()
            .map(|u| u.to_string())
            .unwrap_or_default(),
    });
    reviews::save_thread(core, &thread)?;
    let iri = core.env.urls.mr_thread(&core.r, id);
    tracing::info!(thread = %iri, by = %actor, resolved = resolve, "review thread state changed");
    let mut cc = vec![core
        .env
        .urls
        .ticket_part(&core.r, id.n, TicketPart::Followers)];
    cc.extend(
        tickets::followers(core, id.n)?
            .into_iter()
            .filter(|f| *f != actor),
    );
    outbox::emit(
        core,
        "Accept",
        json!({ "object": crate::base::embed::embedded(raw), "context": iri, "cc": cc }),
        std::slice::from_ref(&actor),
    )?;
    Ok(())
}

/// A Resolve of a review thread received by the tracker.
pub fn resolved(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    match thread_of(core, activity, activity.object_id()) {
        Ok(id) => set(core, activity, raw, id, true),
        Err(why) => reject(core, activity, raw, &why),
    }
}

/// An Undo of an embedded Resolve of a review thread, received by the tracker.
pub fn unresolved(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    match thread_of(core, activity, undone_object_of(activity).as_ref()) {
        Ok(id) => set(core, activity, raw, id, false),
        Err(why) => reject(core, activity, raw, &why),
    }
}
