//! The rules an offered `Review` must meet before the PatchTracker publishes it (ForgeFed,
//! "Review" and the PatchTracker's Offer behaviour): an embedded Review without an id, on one
//! of this tracker's merge requests (`context`), of its latest version (`object`), with a
//! verdict; a summary and top comments that are the sender's Notes (embedded, or their IRIs);
//! threads whose CodeQuote is one of the spec's three anchors, on a file the version changes
//! and a line of its diff, whose hunk becomes `cqHunk`, when that is known (`review_diff`). Who may: `report` (anyone, on a public tracker), and
//! `write` for a binding review (`reviewIsBinding: true`).

use crate::activities::merge_requests::review_diff;
use crate::actor::state::ActorCore;
use crate::data::{merge_requests, tickets};
use crate::grants::capability;
use schema::{Anchor, CodeQuote, ReviewStatus, Role};
use serde_json::{json, Value};
use url::Url;

/// A thread to open: its CodeQuote as it will be served, and its top comment.
pub struct PlannedThread {
    pub quote: Value,
    pub top: Value,
}

/// What an accepted Review makes.
pub struct Plan {
    pub n: u64,
    pub verdict: ReviewStatus,
    pub binding: bool,
    pub version: Url,
    pub summary: Option<Value>,
    pub threads: Vec<PlannedThread>,
}

type Checked<T> = std::result::Result<T, String>;

/// The most threads one review opens.
pub const MAX_THREADS: usize = 200;

/// A Note of the sender, as it will be stored: an IRI, or an embedded Note with content (its
/// `attributedTo` set to the sender, without `@context`).
pub fn sender_note(actor: &Url, value: &Value, what: &str) -> Checked<Value> {
    if let Some(iri) = value.as_str() {
        return Url::parse(iri)
            .map(|u| json!(u))
            .map_err(|_| format!("{what} must be a Note or its IRI"));
    }
    let mut note = value.clone();
    let Some(m) = note.as_object_mut().filter(|m| m["type"] == "Note") else {
        return Err(format!("{what} must be a Note or its IRI"));
    };
    match m.get("attributedTo") {
        Some(a) if a.as_str() != Some(actor.as_str()) => {
            return Err(format!("the attributedTo of {what} is not the sender"));
        }
        _ => {}
    }
    let content = m.get("content").and_then(Value::as_str).unwrap_or_default();
    if content.trim().is_empty() {
        return Err(format!("{what} has no content"));
    }
    m.remove("@context");
    m.insert("attributedTo".into(), json!(actor));
    Ok(note)
}

/// The merge request a Review is on, the IRI of its latest version and that version's Patches.
fn merge_request(core: &ActorCore, review: &schema::Review) -> Checked<(u64, Url, Vec<Value>)> {
    let ctx = review
        .context
        .as_ref()
        .and_then(|c| c.id())
        .ok_or("the Review has no context (the merge request it reviews)")?;
    let not_ours = || format!("{ctx} is not one of this tracker's merge requests");
    let n = tickets::ticket_number(core, ctx).ok_or_else(not_ours)?;
    let mr = merge_requests::load(core, n)
        .map_err(|e| e.to_string())?
        .ok_or_else(not_ours)?;
    let latest = mr
        .latest()
        .ok_or("the merge request has no version to review yet")?;
    let version = core.env.urls.mr_version(&core.r, n, latest.v);
    let given = review
        .object
        .as_ref()
        .and_then(|o| o.id())
        .ok_or("the Review has no object (the version of the merge request reviewed)")?;
    if *given != version {
        return Err(format!(
            "the Review's object {given} is not the latest version {version} of the merge request"
        ));
    }
    Ok((n, version, latest.patches.clone()))
}

/// A thread's CodeQuote as it will be served, checked against the version's Patches when it
/// has some: the file is one they change, a quoted line is in one of their hunks (which becomes
/// `cqHunk`). `cqOutdated` is the tracker's to say: dropped.
fn quote_of(quote: &CodeQuote, patches: &[Value]) -> Checked<Value> {
    let anchor = quote.anchor()?;
    let file = quote.file()?;
    let mut served = json!(quote);
    if let Some(m) = served.as_object_mut() {
        m.remove("cqOutdated");
    }
    let Some(files) = review_diff::changed_files(patches) else {
        return Ok(served);
    };
    if !files.contains(file) {
        return Err(format!(
            "{file} is not a file this version of the merge request changes"
        ));
    }
    let (line, side) = match anchor {
        Anchor::File => return Ok(served),
        Anchor::Line { line, side } => (line, side),
        Anchor::Range {
            start, start_side, ..
        } => (start, start_side),
    };
    let hunk = review_diff::hunk_of(patches, file, line, side).ok_or_else(|| {
        format!("line {line} ({side}) of {file} is in no hunk of this version's diff")
    })?;
    served["cqHunk"] = json!(hunk);
    Ok(served)
}

/// The threads of a Review, each checked.
fn threads(actor: &Url, review: &schema::Review, patches: &[Value]) -> Checked<Vec<PlannedThread>> {
    let raw: Vec<Value> = match &review.review_threads {
        None => Vec::new(),
        Some(Value::Array(all)) => all.clone(),
        Some(one) => vec![one.clone()],
    };
    if raw.len() > MAX_THREADS {
        return Err(format!("a review opens at most {MAX_THREADS} threads"));
    }
    let parsed = review.threads()?;
    let mut out = Vec::new();
    for (i, (thread, raw)) in parsed.iter().zip(&raw).enumerate() {
        let at = |e: String| format!("reviewThreads[{i}]: {e}");
        let quote = quote_of(&thread.target, patches).map_err(at)?;
        let top = sender_note(actor, &raw["object"], "the thread's top comment").map_err(at)?;
        out.push(PlannedThread { quote, top });
    }
    Ok(out)
}

/// Whether an offered Review may be published, and what it makes; the error is the Reject's
/// reason.
pub fn check(core: &ActorCore, activity: &schema::Activity, raw: &Value) -> Checked<Plan> {
    let me = core.iri();
    let review: schema::Review = activity
        .object_as()
        .ok_or("the Offer's object must be an embedded, well-formed Review")?;
    let actor = activity.actor_id().ok_or("the Offer has no actor")?;
    if !activity.recipients().contains(&&me) {
        return Err(format!(
            "the Offer does not address the tracker {me} (to, cc, ...)"
        ));
    }
    if let Some(id) = &review.id {
        return Err(format!(
            "an offered Review must not have an id (it has {id})"
        ));
    }
    let (n, version, patches) = merge_request(core, &review)?;
    let verdict = review.verdict()?;
    let summary = match raw["object"].get("attachment") {
        Some(a) => Some(sender_note(
            actor,
            a,
            "the Review's attachment (its summary)",
        )?),
        None => None,
    };
    let threads = threads(actor, &review, &patches)?;
    let binding = review.review_is_binding == Some(true);
    crate::activities::tickets::report::may_report(core, activity)?;
    if binding {
        capability::check(core, activity, Role::Write)
            .map_err(|e| format!("a binding review needs write access: {e}"))?;
    }
    Ok(Plan {
        n,
        verdict,
        binding,
        version,
        summary,
        threads,
    })
}
