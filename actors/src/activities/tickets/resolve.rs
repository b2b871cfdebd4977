//! `Resolve{object: ticket}` closes a ticket (`isResolved`, `resolvedBy`, `resolved`);
//! `Undo{object: <the Resolve, embedded>}` reopens it. Both need a capability of at least
//! `triage` on the tracker. The tracker answers `Accept{object: <the activity>, context:
//! <ticket>}` to the sender, cc the ticket's followers; any failure is a Reject. A review
//! thread's Resolve (`merge_requests::review_resolve`) changes and answers the same way
//! (`change`, `answer`).

use crate::actor::state::ActorCore;
use crate::base::clock::now_rfc3339;
use crate::base::error::Result;
use crate::data::tickets::Resolution;
use crate::grants::capability;
use crate::publish::outbox;
use crate::publish::reject::reject;
use crate::urls::TicketPart;
use schema::Role;
use serde_json::{json, Value};
use url::Url;

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

/// What a Resolve (`resolve`) or the Undo of one names.
pub fn object_of(activity: &schema::Activity, resolve: bool) -> Option<Url> {
    match resolve {
        true => activity.object_id().cloned(),
        false => undone_object_of(activity),
    }
}

/// Resolves (`resolve`) or unresolves `what` ("ticket", "review thread") for `actor` by
/// `activity`; the reason of the Reject when it already is (or is not) resolved.
pub fn change(
    resolution: &mut Option<Resolution>,
    activity: &schema::Activity,
    actor: &Url,
    resolve: bool,
    what: &str,
) -> std::result::Result<(), String> {
    match (resolve, resolution.is_some()) {
        (true, true) => return Err(format!("the {what} is already resolved")),
        (false, false) => return Err(format!("the {what} is not resolved")),
        _ => {}
    }
    *resolution = resolve.then(|| Resolution {
        by: actor.to_string(),
        at: now_rfc3339(),
        activity: activity
            .id
            .as_ref()
            .map(|u| u.to_string())
            .unwrap_or_default(),
    });
    Ok(())
}

/// The tracker's Accept of a Resolve or its Undo (`raw`) about `iri`, a part of ticket `n`: to
/// `actor`, cc the ticket's followers.
pub fn answer(core: &ActorCore, raw: &Value, actor: &Url, n: u64, iri: &Url) -> Result<()> {
    let mut cc = vec![core.env.urls.ticket_part(&core.r, n, TicketPart::Followers)];
    cc.extend(
        crate::data::tickets::followers(core, n)?
            .into_iter()
            .filter(|f| f != actor),
    );
    outbox::emit(
        core,
        "Accept",
        json!({ "object": crate::base::embed::embedded(raw), "context": iri, "cc": cc }),
        std::slice::from_ref(actor),
    )?;
    Ok(())
}

/// The ticket an activity (or the Resolve an Undo embeds) names, checked against the Grant.
fn ticket_of(
    core: &ActorCore,
    activity: &schema::Activity,
    object: Option<&Url>,
) -> std::result::Result<u64, String> {
    let iri = object.ok_or("the Resolve names no ticket (object)")?;
    let n = crate::data::tickets::ticket_number(core, iri)
        .filter(|n| {
            crate::data::tickets::load(core, *n)
                .ok()
                .flatten()
                .is_some()
        })
        .ok_or_else(|| format!("{iri} is not one of this tracker's tickets"))?;
    capability::check(core, activity, Role::Triage)?;
    Ok(n)
}

/// Closes (`close`) or reopens ticket `n` for the activity's actor, then answers.
fn set(
    core: &ActorCore,
    activity: &schema::Activity,
    raw: &Value,
    n: u64,
    close: bool,
) -> Result<()> {
    let Some(mut ticket) = crate::data::tickets::load(core, n)? else {
        return reject(core, activity, raw, "no such ticket");
    };
    let Some(actor) = activity.actor_id().cloned() else {
        return Ok(());
    };
    if !close && crate::data::merge_requests::is_merged(core, n)? {
        let why = "a merged merge request cannot be reopened";
        return reject(core, activity, raw, why);
    }
    if let Err(why) = change(&mut ticket.resolution, activity, &actor, close, "ticket") {
        return reject(core, activity, raw, &why);
    }
    crate::data::tickets::save(core, &ticket)?;
    let iri = core.env.urls.ticket(&core.r, n);
    tracing::info!(ticket = %iri, by = %actor, resolved = close, "ticket state changed");
    answer(core, raw, &actor, n, &iri)
}

/// A Resolve (`close`) or the Undo of an embedded one, received by the tracker.
pub fn resolved(
    core: &mut ActorCore,
    activity: &schema::Activity,
    raw: &Value,
    close: bool,
) -> Result<()> {
    match ticket_of(core, activity, object_of(activity, close).as_ref()) {
        Ok(n) => set(core, activity, raw, n, close),
        Err(why) => reject(core, activity, raw, &why),
    }
}
