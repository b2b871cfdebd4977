//! `Undo{object: <Approval IRI>}`: dismissing a review (ForgeFed "Dismiss a review"). Needs a
//! capability of at least `write` on the tracker; the Approval's `approvalStatus` becomes
//! `dismissed` (it no longer counts) until its person reviews again. The tracker answers
//! `Accept{object: <the Undo>, context: <merge request>}`; any failure is a Reject.

use crate::actor::state::ActorCore;
use crate::base::clock::now_rfc3339;
use crate::base::error::Result;
use crate::data::reviews;
use crate::data::tickets;
use crate::grants::capability;
use crate::publish::outbox;
use crate::publish::reject::reject;
use crate::urls::{tracker_of_review_part, ReviewPart, TicketPart};
use schema::{ReviewStatus, Role};
use serde_json::{json, Value};

/// Whether an Undo names (by IRI) something shaped like an Approval.
pub fn dismisses(activity: &schema::Activity) -> bool {
    let iri = activity.object.as_ref().and_then(|o| o.as_iri());
    iri.and_then(tracker_of_review_part)
        .is_some_and(|(_, part)| part == ReviewPart::Approval)
}

/// The approval an Undo names, checked against the Grant: `(n, a)`.
fn approval_of(
    core: &ActorCore,
    activity: &schema::Activity,
) -> std::result::Result<(u64, u64), String> {
    let iri = activity.object_id().ok_or("the Undo names no Approval")?;
    let (n, a) = core
        .env
        .urls
        .parse_mr_approval(iri)
        .filter(|(tracker, _, _)| *tracker == core.r)
        .map(|(_, n, a)| (n, a))
        .filter(|(n, a)| reviews::approval(core, *n, *a).ok().flatten().is_some())
        .ok_or_else(|| format!("{iri} is not an Approval of this tracker"))?;
    capability::check(core, activity, Role::Write)?;
    Ok((n, a))
}

/// An Undo of an Approval received by the tracker.
pub fn received(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    let (n, a) = match approval_of(core, activity) {
        Ok(found) => found,
        Err(why) => return reject(core, activity, raw, &why),
    };
    let (Some(mut approval), Some(actor)) =
        (reviews::approval(core, n, a)?, activity.actor_id().cloned())
    else {
        return reject(core, activity, raw, "no such Approval");
    };
    if approval.status == ReviewStatus::Dismissed {
        return reject(core, activity, raw, "the review is already dismissed");
    }
    approval.status = ReviewStatus::Dismissed;
    approval.updated = now_rfc3339();
    reviews::save_approval(core, n, &approval)?;
    let mr = core.env.urls.ticket(&core.r, n);
    tracing::info!(%mr, person = %approval.person, by = %actor, "review dismissed");
    let mut cc = vec![core.env.urls.ticket_part(&core.r, n, TicketPart::Followers)];
    cc.extend(
        tickets::followers(core, n)?
            .into_iter()
            .filter(|f| *f != actor),
    );
    outbox::emit(
        core,
        "Accept",
        json!({ "object": crate::base::embed::embedded(raw), "context": mr, "cc": cc }),
        std::slice::from_ref(&actor),
    )?;
    Ok(())
}
