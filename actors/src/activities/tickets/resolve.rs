//! `Resolve{object: ticket}` closes a ticket (`isResolved`, `resolvedBy`, `resolved`);
//! `Undo{object: <the Resolve, embedded>}` reopens it. Both need a capability of at least
//! `triage` on the tracker. The tracker answers `Accept{object: <the activity>, context:
//! <ticket>}` to the sender, cc the ticket's followers; any failure is a Reject.

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
        return reject(
            core,
            activity,
            raw,
            "a merged merge request cannot be reopened",
        );
    }
    match (close, ticket.resolution.is_some()) {
        (true, true) => return reject(core, activity, raw, "the ticket is already resolved"),
        (false, false) => return reject(core, activity, raw, "the ticket is not resolved"),
        _ => {}
    }
    ticket.resolution = close.then(|| Resolution {
        by: actor.to_string(),
        at: now_rfc3339(),
        activity: activity
            .id
            .as_ref()
            .map(|u| u.to_string())
            .unwrap_or_default(),
    });
    crate::data::tickets::save(core, &ticket)?;
    let iri = core.env.urls.ticket(&core.r, n);
    tracing::info!(ticket = %iri, by = %actor, resolved = close, "ticket state changed");
    let mut cc = vec![core.env.urls.ticket_part(&core.r, n, TicketPart::Followers)];
    cc.extend(
        crate::data::tickets::followers(core, n)?
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

/// A Resolve received by the tracker.
pub fn resolved(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    match ticket_of(core, activity, activity.object_id()) {
        Ok(n) => set(core, activity, raw, n, true),
        Err(why) => reject(core, activity, raw, &why),
    }
}

/// An Undo whose object is an embedded Resolve, received by the tracker.
pub fn reopened(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    let inner = &raw["object"]["object"];
    let object = inner
        .as_str()
        .or_else(|| inner["id"].as_str())
        .and_then(|s| Url::parse(s).ok());
    match ticket_of(core, activity, object.as_ref()) {
        Ok(n) => set(core, activity, raw, n, false),
        Err(why) => reject(core, activity, raw, &why),
    }
}
