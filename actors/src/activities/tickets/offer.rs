//! `Offer{object: Ticket, target: this tracker}`: validated as the ForgeFed spec says (no id,
//! context equal to the target, the tracker addressed, attributedTo the Offer's actor, a
//! summary), authorized (`report`, or anyone on a public tracker), then the ticket is created,
//! its author follows it, and the tracker answers `Accept{object: the Offer, result: ticket}`.
//! A TicketTracker refuses a merge request (a Ticket with an `Offer` attachment or Patches):
//! those go to the repository's `sendPatchesTo`. The checks and the opening are shared with
//! the PatchTracker (`activities::merge_requests::open`).

use crate::actor::state::ActorCore;
use crate::base::clock::now_rfc3339;
use crate::base::error::Result;
use crate::data::tickets::TicketRecord;
use crate::publish::outbox;
use crate::publish::reject::reject;
use serde_json::{json, Value};

/// The refusal of a merge request offered to a TicketTracker.
pub const NOT_HERE: &str =
    "this is a TicketTracker; merge requests go to the repository's sendPatchesTo (its PatchTracker)";

/// Whether an offered Ticket is a merge request: an `Offer` attachment, or Patches attached.
pub fn is_merge_request(raw_ticket: &Value) -> bool {
    let attachments = match &raw_ticket["attachment"] {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        one => vec![one],
    };
    let typed = |v: &Value, t: &str| match &v["type"] {
        Value::Array(ts) => ts.iter().any(|x| x == t),
        one => one == t,
    };
    attachments
        .iter()
        .any(|a| typed(a, "Offer") || typed(a, "Patch") || typed(&a["object"], "OrderedCollection"))
}

/// Why an Offer cannot open a ticket, if it cannot (the checks every tracker makes).
pub fn validate(
    core: &ActorCore,
    activity: &schema::Activity,
) -> std::result::Result<schema::Ticket, String> {
    let me = core.iri();
    let ticket: schema::Ticket = activity
        .object
        .as_ref()
        .filter(|o| o.has_type("Ticket"))
        .and_then(|o| o.object_as())
        .ok_or("the Offer's object must be an embedded, well-formed Ticket")?;
    if !activity.recipients().contains(&&me) {
        return Err(format!(
            "the Offer does not address the tracker {me} (to, cc, ...)"
        ));
    }
    if let Some(id) = &ticket.id {
        return Err(format!(
            "an offered Ticket must not have an id (it has {id})"
        ));
    }
    if let Some(ctx) = &ticket.context {
        if *ctx != me {
            return Err(format!(
                "the Ticket's context {ctx} is not the Offer's target {me}"
            ));
        }
    }
    if let Some(author) = ticket.attributed_to.as_ref().map(|a| a.id()) {
        if author.is_none() || author != activity.actor_id() {
            return Err("the Ticket's attributedTo is not the Offer's actor".into());
        }
    }
    if ticket
        .summary
        .as_deref()
        .is_none_or(|s| s.trim().is_empty())
    {
        return Err("the Ticket needs a summary (its title)".into());
    }
    crate::activities::tickets::report::may_report(core, activity)?;
    Ok(ticket)
}

/// An Offer received by the tracker.
pub fn received(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    if activity.target_id() != Some(&core.iri()) {
        tracing::info!(target = ?activity.target_id(), "an Offer to another target; ignored");
        return Ok(());
    }
    if is_merge_request(&raw["object"]) {
        return reject(core, activity, raw, NOT_HERE);
    }
    let ticket = match validate(core, activity) {
        Ok(t) => t,
        Err(why) => return reject(core, activity, raw, &why),
    };
    let number = crate::data::tickets::next_number(core)?;
    open(core, activity, raw, ticket, number).map(|_| ())
}

/// Opens the ticket of a validated Offer as number `number` and Accepts the Offer; a replayed
/// Offer opens nothing. Answers the number when it opened one.
pub fn open(
    core: &ActorCore,
    activity: &schema::Activity,
    raw: &Value,
    ticket: schema::Ticket,
    number: u64,
) -> Result<Option<u64>> {
    let (Some(author), Some(offer)) = (activity.actor_id().cloned(), activity.id.clone()) else {
        reject(core, activity, raw, "the Offer needs an id and an actor")?;
        return Ok(None);
    };
    if let Some(n) = crate::data::tickets::opened_by(core, &offer)? {
        tracing::info!(
            ticket = n,
            "this Offer opened a ticket already; nothing changes"
        );
        return Ok(None);
    }
    let record = TicketRecord {
        number,
        author: author.to_string(),
        summary: ticket.summary.unwrap_or_default(),
        content: ticket.content,
        media_type: ticket.media_type,
        source: ticket.source.map(|s| json!(s)),
        published: now_rfc3339(),
        offer: offer.to_string(),
        resolution: None,
    };
    crate::data::tickets::create(core, &record, &author)?;
    let iri = core.env.urls.ticket(&core.r, number);
    tracing::info!(ticket = %iri, %author, "ticket opened");
    outbox::emit(
        core,
        "Accept",
        json!({
            "object": crate::base::embed::embedded(raw),
            "result": iri,
            "cc": [core.env.urls.collection(&core.r, crate::urls::Collection::Followers)],
        }),
        std::slice::from_ref(&author),
    )?;
    Ok(Some(number))
}
