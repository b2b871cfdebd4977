//! `Apply{object: <merge request>, target: <repository or Branch>, capability}` merges a merge
//! request (ForgeFed "Apply"): it needs `write` on the tracker, the target must be the merge
//! request's, the merge request open with a fetched version, its target repository local.
//! The tracker submits a git `Merge` job (the latest version's commit into the target branch,
//! through the Repository's mailbox like a push); `Merged` marks the merge request merged (and
//! resolved) and Accepts the Apply; `Conflict` and `Refused` Reject it with the reason.

use crate::activities::merge_requests::open::branch_of;
use crate::actor::git_jobs::{GitJob, GitJobKind, GitOutcome, MergeJob};
use crate::actor::state::ActorCore;
use crate::base::clock::now_rfc3339;
use crate::base::error::Result;
use crate::base::kind::ActorKind;
use crate::data::merge_requests::{self as mrs, MergeRequest, Merged};
use crate::data::mr_jobs::{self, PendingJob, Purpose};
use crate::data::tickets::{self, Resolution};
use crate::grants::capability;
use crate::publish::outbox;
use crate::publish::reject::reject;
use crate::urls::TicketPart;
use schema::Role;
use serde_json::{json, Value};
use url::Url;

/// The merge job an Apply asks for, or why it is refused.
fn check(
    core: &ActorCore,
    activity: &schema::Activity,
    raw: &Value,
) -> std::result::Result<(MergeRequest, MergeJob), String> {
    let iri = activity
        .object_id()
        .ok_or("the Apply names no merge request (object)")?;
    let n = tickets::ticket_number(core, iri)
        .ok_or(format!("{iri} is not one of this tracker's merge requests"))?;
    let mr = mrs::load(core, n)
        .map_err(|e| e.to_string())?
        .ok_or(format!("{iri} is not a merge request"))?;
    capability::check(core, activity, Role::Write)?;
    let ticket = tickets::load(core, n)
        .map_err(|e| e.to_string())?
        .ok_or("no such merge request")?;
    if mr.merged.is_some() {
        return Err("the merge request is merged already".into());
    }
    if ticket.resolution.is_some() {
        return Err("the merge request is closed".into());
    }
    let target = branch_of(
        raw.get("target").ok_or("the Apply names no target")?,
        "Apply's target",
    )?;
    let branch_ok =
        target.branch.is_none() || mr.target.branch.is_none() || target.branch == mr.target.branch;
    if target.repo != mr.target.repo || !branch_ok {
        return Err(format!(
            "the Apply's target is not the merge request's target {}",
            mr.target.repo
        ));
    }
    let job = merge_job(core, activity, &mr, &ticket, target.branch)?;
    Ok((mr, job))
}

/// The merge job of `mr` into its target (the branch `asked` when it names none).
fn merge_job(
    core: &ActorCore,
    activity: &schema::Activity,
    mr: &MergeRequest,
    ticket: &crate::data::tickets::TicketRecord,
    asked: Option<String>,
) -> std::result::Result<MergeJob, String> {
    let iri = core.env.urls.ticket(&core.r, mr.number);
    let repo = Url::parse(&mr.target.repo)
        .ok()
        .and_then(|u| core.env.urls.parse_actor(&u));
    let repo = repo
        .filter(|r| r.kind == ActorKind::Repository)
        .ok_or("the target repository is not on this instance")?;
    let head = mr
        .latest()
        .and_then(|v| v.commit.clone())
        .ok_or("the merge request has no fetched commit to merge")?;
    let branch = mr
        .target
        .branch
        .clone()
        .or(asked)
        .ok_or("the Apply must name the target branch")?;
    let by = activity
        .actor_id()
        .cloned()
        .ok_or("the Apply has no actor")?;
    let message = format!("Merge merge request {iri}\n\n{}", ticket.summary);
    let job = MergeJob {
        repo,
        head,
        branch,
        message,
        by,
        fast_forward_only: false,
    };
    Ok(job)
}

/// An Apply received by the tracker.
pub fn received(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    let (mr, merge) = match check(core, activity, raw) {
        Ok(both) => both,
        Err(why) => return reject(core, activity, raw, why),
    };
    let tag = format!("merge {}", activity.id.as_ref().map_or("", |u| u.as_str()));
    if mr_jobs::get(core, &tag)?.is_some() {
        return Ok(());
    }
    let apply = crate::base::embed::embedded(raw);
    mr_jobs::put(
        core,
        &tag,
        &PendingJob {
            number: mr.number,
            purpose: Purpose::Merge { apply },
        },
    )?;
    let job = GitJob {
        tag: tag.clone(),
        reply_to: core.r.clone(),
        kind: GitJobKind::Merge(merge),
    };
    if let Err(e) = core.env.git_jobs.submit(job) {
        mr_jobs::remove(core, &tag)?;
        return reject(core, activity, raw, format!("the merge cannot run: {e}"));
    }
    Ok(())
}

/// The answer to a merge job asked by `raw` (the Apply).
pub fn merged(core: &mut ActorCore, n: u64, raw: &Value, outcome: GitOutcome) -> Result<()> {
    let Ok(activity) = serde_json::from_value::<schema::Activity>(raw.clone()) else {
        return Ok(());
    };
    let commit = match outcome {
        GitOutcome::Merged { commit, .. } => commit,
        GitOutcome::Conflict { paths } => {
            let why = format!("the merge conflicts in: {}", paths.join(", "));
            return reject(core, &activity, raw, why);
        }
        GitOutcome::Refused(why) => {
            return reject(
                core,
                &activity,
                raw,
                format!("the merge was refused: {why}"),
            )
        }
        GitOutcome::Fetched { .. } => return Ok(()),
    };
    let (Some(mut mr), Some(mut ticket)) = (mrs::load(core, n)?, tickets::load(core, n)?) else {
        return Ok(());
    };
    let by = activity.actor_id().map(Url::to_string).unwrap_or_default();
    let id = activity.id.as_ref().map(Url::to_string).unwrap_or_default();
    let at = now_rfc3339();
    mr.merged = Some(Merged {
        by: by.clone(),
        at: at.clone(),
        commit,
        apply: id.clone(),
    });
    ticket.resolution = Some(Resolution {
        by,
        at,
        activity: id,
    });
    mrs::save(core, &mr)?;
    tickets::save(core, &ticket)?;
    let iri = core.env.urls.ticket(&core.r, n);
    tracing::info!(mr = %iri, "merged");
    let mut cc = vec![core.env.urls.ticket_part(&core.r, n, TicketPart::Followers)];
    cc.extend(tickets::followers(core, n)?);
    let to: Vec<Url> = activity.actor_id().cloned().into_iter().collect();
    let fields = json!({"object": crate::base::embed::embedded(raw), "context": iri, "cc": cc});
    outbox::emit(core, "Accept", fields, &to)?;
    Ok(())
}
