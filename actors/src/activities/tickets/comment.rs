//! `Create{Note{context: ticket, inReplyTo?, content, source?}}`: a comment on one of this
//! tracker's tickets. It is stored in the ticket's discussion (with the Note's own id, or
//! `{ticket}/comments/{seq}` when it has none), the commenter follows the ticket, and the
//! tracker publishes `Announce{object: <the Create>, context: <ticket>}` to the ticket's
//! followers (it cannot forward the Create: inboxes require the actor to own the signing key).

use crate::actor::state::ActorCore;
use crate::base::clock::now_rfc3339;
use crate::base::error::Result;
use crate::data::tickets::Comment;
use crate::publish::outbox;
use crate::publish::reject::reject;
use crate::urls::TicketPart;
use serde_json::{json, Value};
use url::Url;

/// The number of the ticket the comment is on, or why it is refused; None when this very Create is stored already (a replay, e.g. after a crash).
fn validate(
    core: &ActorCore,
    activity: &schema::Activity,
) -> std::result::Result<Option<u64>, String> {
    let note = activity
        .object
        .as_ref()
        .and_then(|o| o.as_object())
        .filter(|o| o.has_type("Note"))
        .ok_or("a tracker only takes Create of an embedded Note (a comment on a ticket)")?;
    let ctx = note
        .context_id()
        .ok_or("the Note has no context (the ticket it comments on)")?;
    let n = crate::data::tickets::ticket_number(core, ctx)
        .filter(|n| {
            crate::data::tickets::load(core, *n)
                .ok()
                .flatten()
                .is_some()
        })
        .ok_or_else(|| format!("{ctx} is not one of this tracker's tickets"))?;
    if note.attributed_to.is_some() && note.attributed_to_id() != activity.actor_id() {
        return Err("the Note's attributedTo is not the Create's actor".into());
    }
    if note.content.as_deref().is_none_or(|c| c.trim().is_empty()) {
        return Err("the comment has no content".into());
    }
    let discussion = crate::data::tickets::discussion(core, n).map_err(|e| e.to_string())?;
    let create = activity.id.as_ref().map(Url::as_str);
    if discussion
        .iter()
        .any(|(_, c)| Some(c.create.as_str()) == create)
    {
        return Ok(None);
    }
    let known = |id: &Url| discussion.iter().any(|(_, c)| c.note["id"] == id.as_str());
    if let Some(reply_to) = note.in_reply_to.as_ref() {
        let target = reply_to.id().ok_or("inReplyTo must be an IRI")?;
        if target != ctx && !known(target) {
            return Err(format!(
                "inReplyTo {target} is neither the ticket nor a comment on it"
            ));
        }
    }
    if let Some(id) = &note.id {
        if known(id) {
            return Err(format!("the comment {id} is already in the discussion"));
        }
    }
    crate::activities::tickets::report::may_report(core, activity)?;
    Ok(Some(n))
}

/// A Create received by the tracker.
pub fn received(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    let n = match validate(core, activity) {
        Ok(Some(n)) => n,
        Ok(None) => {
            tracing::info!("this Create is in the discussion already; nothing changes");
            return Ok(());
        }
        Err(why) => return reject(core, activity, raw, &why),
    };
    let (Some(author), Some(create)) = (activity.actor_id().cloned(), activity.id.clone()) else {
        return reject(core, activity, raw, "the Create needs an id and an actor");
    };
    let seq = crate::data::tickets::next_comment(core, n)?;
    let ticket = core.env.urls.ticket(&core.r, n);
    let mut stored = raw["object"].clone();
    if let Value::Object(m) = &mut stored {
        m.remove("@context");
        m.entry("id")
            .or_insert_with(|| json!(core.env.urls.ticket_comment(&core.r, n, seq)));
        m.insert("attributedTo".into(), json!(author));
        m.entry("published").or_insert_with(|| json!(now_rfc3339()));
    }
    let comment = Comment {
        create: create.to_string(),
        note: stored,
    };
    crate::data::tickets::add_comment(core, n, seq, &comment)?;
    crate::data::tickets::follow(core, n, &author, create.as_str())?;
    tracing::info!(%ticket, %author, seq, "comment added");
    let followers = crate::data::tickets::followers(core, n)?;
    outbox::publish(
        core,
        json!({
            "type": "Announce",
            "object": crate::base::embed::embedded(raw),
            "context": ticket,
            "to": [core.env.urls.ticket_part(&core.r, n, TicketPart::Followers)],
            "cc": followers,
        }),
    )?;
    Ok(())
}

/// One comment of ticket `n` by sequence number, as served.
pub fn get(core: &ActorCore, n: u64, seq: u64) -> Result<Option<Value>> {
    let mut key = crate::data::tickets::sub_prefix(crate::storage::layout::DISCUSSION, n);
    key.extend_from_slice(&seq.to_be_bytes());
    let Some(bytes) = core.tree.get(key)? else {
        return Ok(None);
    };
    let mut note = crate::storage::codec::decode::<Comment>(&bytes)?.note;
    note["@context"] = json!(schema::context::AS_CONTEXT);
    Ok(Some(note))
}
