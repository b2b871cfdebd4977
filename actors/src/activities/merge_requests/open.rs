//! `Offer{object: Ticket, target: this PatchTracker}` opens a merge request (ForgeFed "Open"
//! a merge request). The Ticket passes the checks every tracker makes
//! (`activities::tickets::offer::validate`), and among its `attachment`s there is exactly one
//! `Offer` whose `target` (a `Branch` or a `Repository`) is a repository this tracker tracks
//! patches for, with an `origin` (the `Branch` or `Repository` the changes come from) and/or an
//! `object` (an `OrderedCollection` of `Patch`es in git's format, attributed to the Offer's
//! actor). The tracker stores the ticket and its merge request fields (`data::merge_requests`,
//! the Patches as version 1) and answers `Accept{result: <merge request>}`; else a Reject. With
//! an origin branch it first fetches it (`revisions::start_open`) and answers once fetched.

use crate::actor::state::ActorCore;
use crate::base::clock::now_rfc3339;
use crate::base::error::Result;
use crate::data::merge_requests::{self as mrs, BranchRef, MergeRequest, Version, GIT_PATCH};
use crate::publish::reject::reject;
use serde_json::Value;
use url::Url;

/// What an offered merge request proposes.
#[derive(Debug)]
pub struct Proposal {
    pub origin: Option<BranchRef>,
    pub target: BranchRef,
    pub patches: Vec<Value>,
    pub wip: bool,
}

fn items(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        one => vec![one],
    }
}

fn has_type(v: &Value, t: &str) -> bool {
    items(&v["type"]).iter().any(|x| *x == t)
}

/// The IRI `v` is or names (its `id`).
fn iri_of(v: &Value) -> Option<Url> {
    v.as_str()
        .or_else(|| v["id"].as_str())
        .and_then(|s| Url::parse(s).ok())
}

/// A `Branch{context: <repository>, ref|name}`, or a `Repository` (embedded or its IRI).
pub fn branch_of(v: &Value, what: &str) -> std::result::Result<BranchRef, String> {
    if !has_type(v, "Branch") {
        let repo = iri_of(v).ok_or(format!("the {what} must be a Branch or a Repository"))?;
        return Ok(BranchRef {
            repo: repo.to_string(),
            branch: None,
        });
    }
    let repo =
        iri_of(&v["context"]).ok_or(format!("the {what} Branch names no repository (context)"))?;
    let by_ref = v["ref"].as_str().map(|r| r.trim_start_matches('/'));
    let name = match by_ref {
        Some(r) => r
            .strip_prefix("refs/heads/")
            .ok_or(format!("the {what} Branch's ref is not refs/heads/..."))?,
        None => v["name"]
            .as_str()
            .ok_or(format!("the {what} Branch has no ref"))?,
    };
    crate::browse::revision::check_ref(name)
        .map_err(|_| format!("the {what} Branch's name is not a valid branch name"))?;
    Ok(BranchRef {
        repo: repo.to_string(),
        branch: Some(name.to_string()),
    })
}

/// The Patches of an `OrderedCollection`, each a git patch by `author`, as stored.
fn patches(v: &Value, author: &Url) -> std::result::Result<Vec<Value>, String> {
    if !has_type(v, "OrderedCollection") && !has_type(v, "Collection") {
        return Err("the attachment's object must be an OrderedCollection of Patches".into());
    }
    let list = if v["orderedItems"].is_null() {
        &v["items"]
    } else {
        &v["orderedItems"]
    };
    let list = items(list);
    if list.is_empty() {
        return Err("the collection of Patches is empty".into());
    }
    let mut out = Vec::new();
    for p in list {
        if !has_type(p, "Patch") || p["mediaType"] != GIT_PATCH {
            return Err(format!(
                "every item must be a Patch of mediaType {GIT_PATCH}"
            ));
        }
        let by = &p["attributedTo"];
        if !by.is_null() && iri_of(by).as_ref() != Some(author) {
            return Err("a Patch's attributedTo is not the Offer's actor".into());
        }
        if p["content"].as_str().is_none_or(|c| c.trim().is_empty()) {
            return Err("a Patch has no content".into());
        }
        let mut p = p.clone();
        if let Value::Object(m) = &mut p {
            for k in ["@context", "id", "context"] {
                m.remove(k);
            }
            m.insert("attributedTo".into(), Value::from(author.as_str()));
        }
        out.push(p);
    }
    Ok(out)
}

/// What an offered Ticket proposes, or why it is no merge request this tracker takes.
pub fn proposal(
    core: &ActorCore,
    activity: &schema::Activity,
    raw: &Value,
) -> std::result::Result<Proposal, String> {
    let offers: Vec<&Value> = items(&raw["object"]["attachment"])
        .into_iter()
        .filter(|a| has_type(a, "Offer"))
        .collect();
    let offer = match offers.as_slice() {
        [one] => *one,
        [] => {
            return Err(
                "a merge request needs an attachment of type Offer (origin, target, patches)"
                    .into(),
            )
        }
        _ => return Err("a merge request has exactly one attachment of type Offer".into()),
    };
    let author = activity.actor_id().ok_or("the Offer has no actor")?;
    let target = offer.get("target").filter(|t| !t.is_null());
    let target = branch_of(target.ok_or("the attachment names no target")?, "target")?;
    if !mrs::linked_repositories(&core.record).contains(&target.repo) {
        return Err(format!(
            "this tracker does not track patches for {} (see the repository's sendPatchesTo)",
            target.repo
        ));
    }
    let origin = match offer.get("origin").filter(|o| !o.is_null()) {
        Some(o) => Some(branch_of(o, "origin")?),
        None => None,
    };
    let patches = match offer.get("object").filter(|o| !o.is_null()) {
        Some(o) => patches(o, author)?,
        None => Vec::new(),
    };
    if origin.is_none() && patches.is_empty() {
        return Err("the attachment needs an origin (a branch) or an object (Patches)".into());
    }
    if origin.as_ref() == Some(&target) {
        return Err("the origin and the target are the same branch".into());
    }
    let wip = offer["isWip"].as_bool().unwrap_or(false);
    Ok(Proposal {
        origin,
        target,
        patches,
        wip,
    })
}

/// An Offer received by the PatchTracker.
pub fn received(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    if activity.target_id() != Some(&core.iri()) {
        tracing::info!(target = ?activity.target_id(), "an Offer to another target; ignored");
        return Ok(());
    }
    let checked = crate::activities::tickets::offer::validate(core, activity)
        .and_then(|t| proposal(core, activity, raw).map(|p| (t, p)));
    let (ticket, p) = match checked {
        Ok(both) => both,
        Err(why) => return reject(core, activity, raw, &why),
    };
    let hidden = activity.actor_id().map_or(Ok(true), |author| {
        crate::activities::merge_requests::revisions::origin_hidden_from(
            core,
            p.origin.as_ref(),
            author,
        )
    })?;
    if hidden {
        return reject(core, activity, raw, "the origin branch cannot be read");
    }
    let offer_id = activity.id.as_ref().map_or("", |u| u.as_str());
    let pending = crate::data::mr_jobs::get(core, &format!("open {offer_id}"))?.is_some();
    if pending
        || activity.id.as_ref().is_some_and(|id| {
            crate::data::tickets::opened_by(core, id)
                .ok()
                .flatten()
                .is_some()
        })
    {
        tracing::info!("this Offer is being opened or was opened; nothing changes");
        return Ok(());
    }
    let number = mrs::next_number(core)?;
    let versions = match p.patches.is_empty() {
        true => Vec::new(),
        false => vec![Version {
            v: 1,
            commit: None,
            patches: p.patches,
            at: now_rfc3339(),
        }],
    };
    let mr = MergeRequest {
        number,
        origin: p.origin,
        target: p.target,
        wip: p.wip,
        versions,
        merged: None,
        refused: None,
    };
    if crate::activities::merge_requests::revisions::start_open(core, &mr, raw)? {
        return Ok(());
    }
    mrs::save(core, &mr)?;
    crate::activities::tickets::offer::open(core, activity, raw, ticket, number).map(|_| ())
}
