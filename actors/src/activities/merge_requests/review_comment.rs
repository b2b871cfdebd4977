//! `Create{Note{context: <review thread>, inReplyTo: <the thread or one of its Notes>,
//! content}}`: a comment in a review thread (ForgeFed "Comment on a review"). Who may: as for a
//! merge request's comments (`report`, anyone on a public tracker). It is stored in the thread
//! (with the Note's own id, or `{thread}/comments/{seq}`), the commenter follows the merge
//! request, and the tracker publishes `Announce{object: <the Create>, context: <thread>}` to its
//! followers; a broken rule is a Reject that stores nothing.

use crate::actor::state::ActorCore;
use crate::base::clock::now_rfc3339;
use crate::base::error::Result;
use crate::data::reviews;
use crate::data::tickets::{self, Comment};
use crate::publish::outbox;
use crate::publish::reject::reject;
use crate::urls::{tracker_of_review_part, ReviewPart, ThreadId, TicketPart};
use serde_json::{json, Value};
use url::Url;

/// Whether a Create is of a Note whose context has the shape of a review thread's IRI.
pub fn comments_on_thread(activity: &schema::Activity) -> bool {
    let note = activity.object.as_ref().and_then(|o| o.as_object());
    let ctx = note
        .filter(|n| n.has_type("Note"))
        .and_then(|n| n.context_id());
    ctx.and_then(tracker_of_review_part)
        .is_some_and(|(_, part)| part == ReviewPart::Thread)
}

/// The thread the comment goes to, or why it is refused; None when this very Create is stored
/// already (a replay).
fn validate(
    core: &ActorCore,
    activity: &schema::Activity,
) -> std::result::Result<Option<ThreadId>, String> {
    let note = activity
        .object
        .as_ref()
        .and_then(|o| o.as_object())
        .filter(|o| o.has_type("Note"))
        .ok_or("a review comment is a Create of an embedded Note")?;
    let ctx = note
        .context_id()
        .ok_or("the Note has no context (the review thread)")?;
    let id = core
        .env
        .urls
        .parse_mr_thread(ctx)
        .filter(|(tracker, _)| *tracker == core.r)
        .map(|(_, id)| id)
        .filter(|id| reviews::thread(core, *id).ok().flatten().is_some())
        .ok_or_else(|| format!("{ctx} is not a review thread of this tracker"))?;
    if note.attributed_to.is_some() && note.attributed_to_id() != activity.actor_id() {
        return Err("the Note's attributedTo is not the Create's actor".into());
    }
    if note.content.as_deref().is_none_or(|c| c.trim().is_empty()) {
        return Err("the comment has no content".into());
    }
    let notes = reviews::comments(core, id).map_err(|e| e.to_string())?;
    let create = activity.id.as_ref().map(Url::as_str);
    if notes.iter().any(|(_, c)| Some(c.create.as_str()) == create) {
        return Ok(None);
    }
    let known = |i: &Url| {
        notes
            .iter()
            .any(|(_, c)| c.note["id"] == i.as_str() || c.note == i.as_str())
    };
    if let Some(reply_to) = note.in_reply_to.as_ref() {
        let target = reply_to.id().ok_or("inReplyTo must be an IRI")?;
        if target != ctx && !known(target) {
            return Err(format!(
                "inReplyTo {target} is neither the thread nor a comment in it"
            ));
        }
    }
    if note.id.as_ref().is_some_and(known) {
        return Err("the comment is already in the thread".into());
    }
    crate::activities::tickets::report::may_report(core, activity)?;
    Ok(Some(id))
}

/// A Create of a review comment received by the tracker.
pub fn received(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    let id = match validate(core, activity) {
        Ok(Some(id)) => id,
        Ok(None) => {
            tracing::info!("this Create is in the thread already; nothing changes");
            return Ok(());
        }
        Err(why) => return reject(core, activity, raw, &why),
    };
    let (Some(author), Some(create)) = (activity.actor_id().cloned(), activity.id.clone()) else {
        return reject(core, activity, raw, "the Create needs an id and an actor");
    };
    let seq = reviews::next_comment(core, id)?;
    let thread = core.env.urls.mr_thread(&core.r, id);
    let mut note = raw["object"].clone();
    if let Value::Object(m) = &mut note {
        m.remove("@context");
        m.entry("id")
            .or_insert_with(|| json!(core.env.urls.mr_thread_comment(&core.r, id, seq)));
        m.insert("attributedTo".into(), json!(author));
        m.entry("published").or_insert_with(|| json!(now_rfc3339()));
    }
    let comment = Comment {
        create: create.to_string(),
        note,
    };
    reviews::add_comment(core, id, seq, &comment)?;
    tickets::follow(core, id.n, &author, create.as_str())?;
    tracing::info!(%thread, %author, seq, "review comment added");
    outbox::publish(
        core,
        json!({
            "type": "Announce",
            "object": crate::base::embed::embedded(raw),
            "context": thread,
            "to": [core.env.urls.ticket_part(&core.r, id.n, TicketPart::Followers)],
            "cc": tickets::followers(core, id.n)?,
        }),
    )?;
    Ok(())
}

/// One Note of a thread that had no id of its own, as served (with `@context`).
pub fn get(core: &ActorCore, id: ThreadId, seq: u64) -> Result<Option<Value>> {
    let Some(comment) = reviews::comment(core, id, seq)? else {
        return Ok(None);
    };
    // Only a Note that was given this IRI is served under it.
    let mut note = comment.note;
    if note["id"] != core.env.urls.mr_thread_comment(&core.r, id, seq).as_str() {
        return Ok(None);
    }
    note["@context"] = json!(schema::context::AS_CONTEXT);
    Ok(Some(note))
}
