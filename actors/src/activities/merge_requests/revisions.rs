//! A merge request's versions fetched from its origin branch into the target repository, as
//! hidden refs `refs/merge-requests/{n}/v{v}` (never advertised as branches), through a git
//! job (`actor::git_jobs`): the source is the origin repository (read from disk when it is
//! local, on behalf of the tracker: a private origin the tracker may not read is refused; else
//! over smart HTTP at the `cloneUri` of its document, `flows::git_origin`).
//!
//! - Opening with an origin (`start_open`): the merge request fields are stored, the tracker
//!   follows the origin repository and fetches version 1; only when it is `Fetched` is the
//!   ticket opened and the Offer accepted (`opened`); `Refused` rejects the Offer and opens
//!   nothing. Without a git-job worker, or for a target on another instance, the merge request
//!   opens at once, without a fetched commit.
//! - A `Push` from the origin repository to that branch (`pushed`) fetches the next version;
//!   `Fetched` records it (`revised`); `Refused` is recorded on the merge request (`gitRefusal`)
//!   and its author gets a `Reject` of that Push with the reason.

use crate::actor::git_jobs::{FetchJob, GitJob, GitJobKind, GitSource};
use crate::actor::state::ActorCore;
use crate::base::clock::now_rfc3339;
use crate::base::error::Result;
use crate::base::kind::ActorKind;
use crate::data::merge_requests::{self as mrs, BranchRef, MergeRequest, Version};
use crate::data::mr_jobs::{self, PendingJob, Purpose};
use crate::publish::reject::reject;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use url::Url;

/// The hidden ref of version `v` of merge request `n` in the target repository.
pub fn version_ref(n: u64, v: u64) -> String {
    format!("refs/merge-requests/{n}/v{v}")
}

/// The local Repository an IRI names, if it names one.
fn local_repo(core: &ActorCore, iri: &str) -> Option<crate::base::kind::ActorRef> {
    let r = core.env.urls.parse_actor(&Url::parse(iri).ok()?)?;
    (r.kind == ActorKind::Repository).then_some(r)
}

/// True when the origin is a private repository of this instance that `author` (who offers
/// the merge request) may not read: the tracker reads it as itself (it may hold a Grant there
/// through another link), so without this an Offer could copy a private branch into a
/// repository others read.
pub fn origin_hidden_from(
    core: &ActorCore,
    origin: Option<&BranchRef>,
    author: &Url,
) -> Result<bool> {
    let Some(r) = origin.and_then(|o| local_repo(core, &o.repo)) else {
        return Ok(false);
    };
    let Some((ks, record)) = crate::data::listings::stored_record(&core.env, &r)? else {
        return Ok(false);
    };
    let private = crate::data::listings::is_private(&record);
    Ok(private && crate::data::grants::role_held_in(&ks, author).is_none())
}

/// Submits the fetch of the origin's branch as version `v` of `mr`, kept as `purpose` under
/// `tag`. False when it cannot run here (a remote target, no worker): nothing is kept then.
fn submit(
    core: &ActorCore,
    mr: &MergeRequest,
    v: u64,
    tag: &str,
    purpose: Purpose,
) -> Result<bool> {
    let (Some(origin), Some(into)) = (&mr.origin, local_repo(core, &mr.target.repo)) else {
        return Ok(false);
    };
    let source = match local_repo(core, &origin.repo) {
        Some(r) => GitSource::Local(r),
        None => match Url::parse(&origin.repo) {
            Ok(u) => GitSource::Remote(u),
            Err(_) => return Ok(false),
        },
    };
    let branch = origin
        .branch
        .as_ref()
        .map_or("HEAD".into(), |b| format!("refs/heads/{b}"));
    let refspec = format!("+{branch}:{}", version_ref(mr.number, v));
    let fetch = FetchJob {
        into,
        source,
        reader: core.iri(),
        refspecs: vec![refspec],
    };
    let job = GitJob {
        tag: tag.into(),
        reply_to: core.r.clone(),
        kind: GitJobKind::Fetch(fetch),
    };
    mr_jobs::put(
        core,
        tag,
        &PendingJob {
            number: mr.number,
            purpose,
        },
    )?;
    if let Err(e) = core.env.git_jobs.submit(job) {
        tracing::warn!(error = %e, tag, "cannot fetch the merge request's origin");
        mr_jobs::remove(core, tag)?;
        return Ok(false);
    }
    Ok(true)
}

/// The tracker follows the origin repository (for its Pushes), once.
fn follow(core: &ActorCore, origin: &BranchRef) -> Result<()> {
    let Ok(repo) = Url::parse(&origin.repo) else {
        return Ok(());
    };
    if crate::data::followers::following_entry(core, &repo)?.is_some() {
        return Ok(());
    }
    let id = crate::publish::outbox::emit(
        core,
        "Follow",
        json!({"object": repo}),
        std::slice::from_ref(&repo),
    )?;
    let entry = crate::data::followers::Following {
        follow: id.to_string(),
        accepted: false,
        since: now_rfc3339(),
    };
    let key =
        crate::storage::layout::key(crate::storage::layout::FOLLOWING, repo.as_str().as_bytes());
    core.tree
        .insert(key, crate::storage::codec::encode(&entry)?)?;
    Ok(())
}

/// Stores merge request `mr` (not yet opened) and fetches its first version; answers whether
/// the fetch was submitted (the Offer is then answered once it is done).
pub fn start_open(core: &ActorCore, mr: &MergeRequest, raw: &Value) -> Result<bool> {
    let Some(origin) = &mr.origin else {
        return Ok(false);
    };
    mrs::save(core, mr)?;
    let tag = format!("open {}", raw["id"].as_str().unwrap_or_default());
    let offer = crate::base::embed::embedded(raw);
    let submitted = submit(core, mr, 1, &tag, Purpose::Open { offer })?;
    if submitted {
        follow(core, origin)?;
    }
    Ok(submitted)
}

/// The answer to the first fetch: the merge request opens (Accept), or the Offer is refused.
pub fn opened(
    core: &mut ActorCore,
    n: u64,
    raw: &Value,
    fetched: std::result::Result<BTreeMap<String, String>, String>,
) -> Result<()> {
    let Ok(activity) = serde_json::from_value::<schema::Activity>(raw.clone()) else {
        return mrs::remove(core, n);
    };
    let Some(mut mr) = mrs::load(core, n)? else {
        return Ok(());
    };
    let refs = match fetched {
        Ok(refs) => refs,
        Err(why) => {
            mrs::remove(core, n)?;
            let why = format!("the tracker cannot fetch the origin branch: {why}");
            return reject(core, &activity, raw, why);
        }
    };
    let commit = refs.get(&version_ref(n, 1)).cloned();
    match mr.versions.first_mut() {
        Some(v) => v.commit = commit,
        None => mr.versions.push(Version {
            v: 1,
            commit,
            patches: Vec::new(),
            at: now_rfc3339(),
        }),
    }
    mrs::save(core, &mr)?;
    let ticket = match crate::activities::tickets::offer::validate(core, &activity) {
        Ok(t) => t,
        Err(why) => return reject(core, &activity, raw, why),
    };
    crate::activities::tickets::offer::open(core, &activity, raw, ticket, n).map(|_| ())
}

/// A `Push` received: each open merge request from that repository and branch fetches its
/// next version.
pub fn pushed(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    let (Some(repo), Some(branch)) = (activity.actor_id(), raw["target"]["name"].as_str()) else {
        return Ok(());
    };
    if activity.context_id().is_some_and(|c| c != repo) {
        tracing::info!(%repo, "a Push about another repository; ignored");
        return Ok(());
    }
    for mr in mrs::from_origin(core, repo, Some(branch))? {
        let closed =
            crate::data::tickets::load(core, mr.number)?.is_none_or(|t| t.resolution.is_some());
        if closed || mr.merged.is_some() {
            continue;
        }
        let v = mr.latest().map_or(1, |l| l.v + 1);
        let tag = format!("rev {} {v}", mr.number);
        let push = Some(crate::base::embed::embedded(raw));
        if !submit(core, &mr, v, &tag, Purpose::Revision { v, push })? {
            tracing::info!(mr = mr.number, "the new version cannot be fetched here");
        }
    }
    Ok(())
}

/// The answer to a later fetch, of version `v` after `push`: the version is recorded (when its
/// commit is new), or the refusal is and the author is told (`tell_refused`).
pub fn revised(
    core: &ActorCore,
    n: u64,
    (v, push): (u64, Option<&Value>),
    fetched: std::result::Result<BTreeMap<String, String>, String>,
) -> Result<()> {
    let Some(mut mr) = mrs::load(core, n)? else {
        return Ok(());
    };
    match fetched {
        Err(why) => {
            tell_refused(core, n, (v, push), &why)?;
            mr.refused = Some(why);
        }
        Ok(refs) => {
            mr.refused = None;
            let commit = refs.get(&version_ref(n, v)).cloned();
            let same = mr.latest().is_some_and(|l| l.commit == commit);
            if !same && mr.versions.iter().all(|x| x.v != v) {
                mr.versions.push(Version {
                    v,
                    commit,
                    patches: Vec::new(),
                    at: now_rfc3339(),
                });
                tracing::info!(mr = n, v, "new version of the merge request");
            }
        }
    }
    mrs::save(core, &mr)
}

/// Tells the author of merge request `n` that version `v` could not be fetched: a `Reject` of
/// the origin's Push (`object`), `context` the merge request, the reason as `summary`.
fn tell_refused(
    core: &ActorCore,
    n: u64,
    (v, push): (u64, Option<&Value>),
    why: &str,
) -> Result<()> {
    let author = crate::data::tickets::load(core, n)?.and_then(|t| Url::parse(&t.author).ok());
    let Some(author) = author else {
        return Ok(());
    };
    let mr = core.env.urls.ticket(&core.r, n);
    let summary = format!(
        "version {v} of merge request {mr} could not be fetched from its origin branch: {why}"
    );
    tracing::info!(%mr, v, reason = %why, "a new version of a merge request was refused");
    let mut fields = json!({"context": mr, "summary": summary});
    if let Some(push) = push {
        fields["object"] = push.clone();
    }
    crate::publish::outbox::emit(core, "Reject", fields, std::slice::from_ref(&author))?;
    Ok(())
}
