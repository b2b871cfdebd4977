//! The merge requests of a PatchTracker, as stored in its tree, and their documents. A merge
//! request is one of the tracker's tickets (`data::tickets`: title, description, author,
//! discussion, followers, closed state; IRIs `{tracker}/merge-requests/{n}`) plus what is kept
//! here: where the changes come from and go to, whether it is work in progress, its versions
//! (the Patches offered and the commit fetched) and whether it was merged.
//!
//! Keys in the tree (beside the ticket keys of `data::tickets`):
//! - `merge-request 0xFF <be u64 n>` -> JSON `MergeRequest`

use crate::actor::record::ActorRecord;
use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::data::tickets::{self, TicketRecord};
use crate::storage::codec;
use crate::storage::layout::{self, MERGE_REQUEST};
use crate::urls::vocabulary::with_orchard_context;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

/// The media type of a git patch (`git format-patch` text), the only one a git target takes.
pub const GIT_PATCH: &str = "application/x-git-patch";

/// A repository, or one of its branches (by short name: `main`, `feature/x`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchRef {
    pub repo: String,
    #[serde(default)]
    pub branch: Option<String>,
}

impl BranchRef {
    /// As ForgeFed writes it: a `Branch` object, or the repository's IRI.
    pub fn to_json(&self) -> Value {
        match &self.branch {
            Some(b) => json!({"type": "Branch", "context": self.repo, "name": b,
                              "ref": format!("refs/heads/{b}")}),
            None => json!(self.repo),
        }
    }
}

/// One version of the proposed changes: the Patches offered and/or the commit fetched.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Version {
    pub v: u64,
    /// The head commit of this version, once fetched into the target repository.
    #[serde(default)]
    pub commit: Option<String>,
    /// The Patch objects offered, newest first, without `@context`.
    #[serde(default)]
    pub patches: Vec<Value>,
    pub at: String,
}

/// How a merge request was merged (by an `Apply`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Merged {
    pub by: String,
    pub at: String,
    pub commit: String,
    pub apply: String,
}

/// The merge request fields of ticket `number`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MergeRequest {
    pub number: u64,
    #[serde(default)]
    pub origin: Option<BranchRef>,
    pub target: BranchRef,
    #[serde(default)]
    pub wip: bool,
    #[serde(default)]
    pub versions: Vec<Version>,
    #[serde(default)]
    pub merged: Option<Merged>,
    /// Why the last git job for it was refused, if it was.
    #[serde(default)]
    pub refused: Option<String>,
}

impl MergeRequest {
    /// The newest version, if any.
    pub fn latest(&self) -> Option<&Version> {
        self.versions.last()
    }
}

/// The record field listing the repositories a tracker is linked to.
pub const TRACKS_PATCHES_FOR: &str = "tracksPatchesFor";

/// The repositories this tracker tracks patches for (`extra.tracksPatchesFor` of its record).
pub fn linked_repositories(record: &ActorRecord) -> Vec<String> {
    let list = record
        .extra
        .get(TRACKS_PATCHES_FOR)
        .and_then(Value::as_array);
    list.map(|a| {
        a.iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    })
    .unwrap_or_default()
}

/// Replaces the repositories this tracker tracks patches for (the caller saves the record).
pub fn set_linked_repositories(record: &mut ActorRecord, repos: Vec<String>) {
    record.extra.insert(TRACKS_PATCHES_FOR.into(), json!(repos));
}

fn key(n: u64) -> Vec<u8> {
    layout::key(MERGE_REQUEST, &n.to_be_bytes())
}

/// The merge request fields of ticket `n`, if it is a merge request.
pub fn load(core: &ActorCore, n: u64) -> Result<Option<MergeRequest>> {
    match core.tree.get(key(n))? {
        Some(v) => Ok(Some(codec::decode(&v)?)),
        None => Ok(None),
    }
}

/// Writes the merge request fields (the ticket record is written by `data::tickets`).
pub fn save(core: &ActorCore, mr: &MergeRequest) -> Result<()> {
    core.tree.insert(key(mr.number), codec::encode(mr)?)?;
    Ok(())
}

/// Forgets the merge request fields of `n` (a merge request that was never opened).
pub fn remove(core: &ActorCore, n: u64) -> Result<()> {
    core.tree.remove(key(n))?;
    Ok(())
}

/// The number the next merge request gets: past every ticket and every merge request record
/// (one waiting for its first fetch has a record but no ticket yet).
pub fn next_number(core: &ActorCore) -> Result<u64> {
    let pre = layout::prefix(MERGE_REQUEST);
    let last = match core.tree.scan_prefix(&pre).next_back() {
        Some(entry) => codec::decode_u64(&entry?.0[pre.len()..]) + 1,
        None => 1,
    };
    Ok(last.max(tickets::next_number(core)?))
}

/// Whether ticket `n` is a merge request that was merged.
pub fn is_merged(core: &ActorCore, n: u64) -> Result<bool> {
    Ok(load(core, n)?.is_some_and(|mr| mr.merged.is_some()))
}

/// The merge requests whose origin is `repo` (at `branch`, or at any branch when `None`).
pub fn from_origin(
    core: &ActorCore,
    repo: &Url,
    branch: Option<&str>,
) -> Result<Vec<MergeRequest>> {
    let mut out = Vec::new();
    for entry in core.tree.scan_prefix(layout::prefix(MERGE_REQUEST)) {
        let mr: MergeRequest = codec::decode(&entry?.1)?;
        let hit = mr.origin.as_ref().is_some_and(|o| {
            o.repo == repo.as_str() && (branch.is_none() || o.branch.as_deref() == branch)
        });
        if hit {
            out.push(mr);
        }
    }
    Ok(out)
}

/// The `OrderedCollection` of version `v`'s Patches.
pub fn version_document(core: &ActorCore, mr: &MergeRequest, v: &Version) -> Value {
    let id = core.env.urls.mr_version(&core.r, mr.number, v.v);
    let items: Vec<Value> = v
        .patches
        .iter()
        .map(|p| {
            let mut p = p.clone();
            p["context"] = json!(id);
            p
        })
        .collect();
    let mut doc = json!({
        "id": id,
        "type": "OrderedCollection",
        "context": core.env.urls.ticket(&core.r, mr.number),
        "totalItems": items.len(),
        "orderedItems": items,
        "published": v.at,
    });
    if let Some(c) = &v.commit {
        doc["target"] = json!({"hash": c});
    }
    let previous: Vec<Url> = (1..v.v)
        .map(|p| core.env.urls.mr_version(&core.r, mr.number, p))
        .collect();
    if !previous.is_empty() {
        doc["previousVersions"] = json!(previous);
    }
    if mr.latest().is_some_and(|l| l.v != v.v) {
        doc["currentVersion"] =
            json!(core
                .env
                .urls
                .mr_version(&core.r, mr.number, mr.latest().map_or(v.v, |l| l.v)));
    }
    doc
}

/// The `mrDiff` Link: the compare route of a local target repository, from the target branch
/// to the latest version's commit (none before a commit is fetched, or for a remote target).
fn mr_diff(core: &ActorCore, mr: &MergeRequest) -> Option<Value> {
    let commit = mr.latest()?.commit.as_ref()?;
    let target = Url::parse(&mr.target.repo).ok()?;
    let repo = core.env.urls.parse_actor(&target)?;
    let base = mr.target.branch.clone().unwrap_or_else(|| "HEAD".into());
    let href = core.env.urls.compare(&repo, &base, commit);
    Some(json!({"type": "Link", "href": href, "mediaType": "application/json"}))
}

/// The merge request document: its Ticket (see `data::tickets::document`) with the `Offer`
/// attachment (origin, target, `mrDiff`, `isWip`, the latest version), `isMerged`.
pub fn document(core: &ActorCore, t: &TicketRecord, mr: &MergeRequest) -> Value {
    let mut doc = tickets::document(core, t);
    let mut offer = json!({"type": "Offer", "target": mr.target.to_json(), "isWip": mr.wip});
    if let Some(o) = &mr.origin {
        offer["origin"] = o.to_json();
    }
    if let Some(d) = mr_diff(core, mr) {
        offer["mrDiff"] = d;
    }
    if let Some(v) = mr.latest() {
        offer["object"] = version_document(core, mr, v);
    }
    doc["attachment"] = offer;
    doc["isMerged"] = json!(mr.merged.is_some());
    if let Some(m) = &mr.merged {
        doc["mergedBy"] = json!(m.by);
        doc["merged"] = json!(m.at);
        doc["mergeCommit"] = json!(m.commit);
    }
    if let Some(why) = &mr.refused {
        doc["gitRefusal"] = json!(why);
    }
    let context = doc["@context"].take();
    doc["@context"] = with_orchard_context(&core.env.urls, context);
    crate::data::review_documents::add_to_merge_request(core, mr.number, &mut doc);
    doc
}

/// Ticket `n`'s document: a merge request's when it is one, a plain Ticket's otherwise.
pub fn ticket_document(core: &ActorCore, t: &TicketRecord) -> Result<Value> {
    Ok(match load(core, t.number)? {
        Some(mr) => document(core, t, &mr),
        None => tickets::document(core, t),
    })
}
