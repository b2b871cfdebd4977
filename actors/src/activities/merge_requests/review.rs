//! `Offer{object: Review{context: <merge request>, verdict, object: <latest version>,
//! attachment?: <summary Note>, reviewThreads: [ReviewThread{target: CodeQuote, object: Note}]},
//! target: <this tracker>}`: submitting a review (ForgeFed "Review"). Checked by
//! `review_checks`; the tracker gives the Review and its threads their ids
//! (`{mr}/reviews/{r}`, `{review}/threads/{t}`), adds or updates the reviewer's `Approval`
//! (`{mr}/approvals/{a}`), makes the reviewer a follower of the merge request, and answers
//! `Accept{object: <the Offer>, result: <the Review>}`; any broken rule is a Reject that stores
//! nothing. A re-sent Offer makes nothing new.

use crate::activities::merge_requests::review_checks::{self, Plan};
use crate::actor::state::ActorCore;
use crate::base::clock::now_rfc3339;
use crate::base::error::Result;
use crate::data::reviews::{self, ApprovalRecord, ReviewRecord, ThreadKey, ThreadRecord};
use crate::data::tickets::{self, Comment};
use crate::publish::outbox;
use crate::publish::reject::reject;
use crate::urls::{ThreadId, TicketPart};
use schema::ReviewStatus;
use serde_json::{json, Value};
use url::Url;

/// Whether an Offer offers a Review (and not a merge request).
pub fn offers_review(activity: &schema::Activity) -> bool {
    activity
        .object
        .as_ref()
        .is_some_and(|o| o.has_type("Review"))
}

/// The threads' records and top comments: a top Note without an id gets `{thread}/comments/1`.
fn thread_records(
    core: &ActorCore,
    plan: &Plan,
    r: u64,
    offer: &Url,
) -> Vec<(ThreadRecord, Comment)> {
    let mut out = Vec::new();
    for (i, planned) in plan.threads.iter().enumerate() {
        let id = ThreadId {
            n: plan.n,
            r,
            t: i as u64 + 1,
        };
        let mut note = planned.top.clone();
        if let Some(m) = note.as_object_mut() {
            let own = json!(core.env.urls.mr_thread_comment(&core.r, id, 1));
            m.entry("id").or_insert(own);
            m.entry("context")
                .or_insert_with(|| json!(core.env.urls.mr_thread(&core.r, id)));
            m.entry("published").or_insert_with(|| json!(now_rfc3339()));
        }
        let top = note
            .get("id")
            .unwrap_or(&note)
            .as_str()
            .unwrap_or_default()
            .to_string();
        let record = ThreadRecord {
            id: ThreadKey::from(id),
            quote: planned.quote.clone(),
            top,
            resolution: None,
        };
        let comment = Comment {
            create: offer.to_string(),
            note,
        };
        out.push((record, comment));
    }
    out
}

/// The reviewer's Approval after this review: their existing one updated, or a new one.
fn approval(core: &ActorCore, plan: &Plan, author: &Url, review: &Url) -> Result<ApprovalRecord> {
    let now = now_rfc3339();
    let mut a = match reviews::approval_of(core, plan.n, author.as_str())? {
        Some(a) => a,
        None => ApprovalRecord {
            number: reviews::next_approval(core, plan.n)?,
            person: author.to_string(),
            status: plan.verdict,
            binding: plan.binding,
            review: String::new(),
            published: now.clone(),
            updated: now.clone(),
        },
    };
    if keeps_verdict(a.status, plan.verdict) {
        return Ok(a);
    }
    a.status = plan.verdict;
    a.binding = plan.binding;
    a.review = review.to_string();
    a.updated = now;
    Ok(a)
}

/// A `remark` (a comment, a line comment) neither approves nor asks for changes: it leaves a
/// standing approve or revise as it was, as forges do with a comment-only review.
fn keeps_verdict(standing: ReviewStatus, new: ReviewStatus) -> bool {
    new == ReviewStatus::Remark && matches!(standing, ReviewStatus::Approve | ReviewStatus::Revise)
}

/// Stores the review the plan describes; answers its IRI.
fn publish_review(core: &ActorCore, plan: &Plan, author: &Url, offer: &Url) -> Result<Url> {
    let r = reviews::next_review(core, plan.n)?;
    let iri = core.env.urls.mr_review(&core.r, plan.n, r);
    let threads = thread_records(core, plan, r, offer);
    let record = ReviewRecord {
        number: r,
        author: author.to_string(),
        verdict: plan.verdict,
        binding: plan.binding,
        version: plan.version.to_string(),
        summary: plan.summary.clone(),
        offer: offer.to_string(),
        published: now_rfc3339(),
        threads: threads.len() as u64,
    };
    let approval = approval(core, plan, author, &iri)?;
    reviews::store(core, plan.n, &record, &threads, &approval)?;
    tickets::follow(core, plan.n, author, offer.as_str())?;
    Ok(iri)
}

/// An Offer of a Review received by the tracker.
pub fn received(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    if activity.target_id() != Some(&core.iri()) {
        tracing::info!(target = ?activity.target_id(), "a Review offered to another target; ignored");
        return Ok(());
    }
    let (Some(author), Some(offer)) = (activity.actor_id().cloned(), activity.id.clone()) else {
        return reject(core, activity, raw, "the Offer needs an id and an actor");
    };
    if reviews::made_by(core, &offer)?.is_some() {
        tracing::info!("this Offer made a review already; nothing changes");
        return Ok(());
    }
    let plan = match review_checks::check(core, activity, raw) {
        Ok(plan) => plan,
        Err(why) => return reject(core, activity, raw, &why),
    };
    let review = publish_review(core, &plan, &author, &offer)?;
    let mr = core.env.urls.ticket(&core.r, plan.n);
    tracing::info!(%review, %author, verdict = %plan.verdict, "review published");
    let mut cc = vec![core
        .env
        .urls
        .ticket_part(&core.r, plan.n, TicketPart::Followers)];
    cc.extend(
        tickets::followers(core, plan.n)?
            .into_iter()
            .filter(|f| *f != author),
    );
    outbox::emit(
        core,
        "Accept",
        json!({
            "object": crate::base::embed::embedded(raw),
            "result": review,
            "context": mr,
            "cc": cc,
        }),
        std::slice::from_ref(&author),
    )?;
    Ok(())
}
