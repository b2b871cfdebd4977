//! What the open-merge-request form (`mr_open`) needs of the target repository and sends to
//! its tracker: the target's document (a repository of this instance as the person may read
//! it, or another instance's fetched as the look-up page fetches), its PatchTracker (the
//! document's `sendPatchesTo`; none is a clear 400, nothing sent) and default branch; and the
//! `Offer{Ticket}` whose `attachment` `Offer` names the source Branch as `origin` and the
//! target Branch as `target` (ForgeFed "Merge Requests").

use super::lookup::fetch_for;
use super::repo::access::open_ref;
use super::ticket_forms::offer;
use crate::error::{Error, Result};
use crate::http::state::AppState;
use actix_web::HttpRequest;
use actors::ActorKind;
use serde_json::{json, Value};
use url::Url;

/// A target repository as the form shows and uses it.
pub struct Target {
    pub iri: Url,
    pub name: String,
    /// Its PatchTracker (`sendPatchesTo`).
    pub tracker: Url,
    /// Its default branch (`defaultBranch`, else `main`).
    pub default_branch: String,
}

/// The document of the repository `iri` for the signed-in `user`.
async fn document(state: &AppState, req: &HttpRequest, user: &str, iri: &Url) -> Result<Value> {
    if !state.urls.is_local(iri) {
        return fetch_for(state, user, iri).await;
    }
    let missing = || Error::NotFound(format!("no repository at {iri}"));
    let r = state.urls.parse_actor(iri).ok_or_else(missing)?;
    if r.kind != ActorKind::Repository || !state.registry.store().actor_exists(&r)? {
        return Err(missing());
    }
    let opened = open_ref(state, req, r).await?;
    Ok(serde_json::to_value(&opened.doc).map_err(actors::ActorError::from)?)
}

/// The target repository `iri`: 400 when it is no repository or has no PatchTracker.
pub async fn target(state: &AppState, req: &HttpRequest, user: &str, iri: &Url) -> Result<Target> {
    let doc = document(state, req, user, iri).await?;
    let text = |k: &str| doc[k].as_str().unwrap_or_default().to_string();
    if doc["type"] != "Repository" {
        return Err(Error::BadRequest(format!(
            "{iri} is not a repository (it is a {})",
            doc["type"].as_str().unwrap_or("document without a type")
        )));
    }
    let name = [text("name"), iri.to_string()]
        .into_iter()
        .find(|n| !n.is_empty())
        .unwrap_or_default();
    let tracker = Url::parse(&text("sendPatchesTo"));
    let tracker = tracker
        .ok()
        .filter(|t| matches!(t.scheme(), "http" | "https"));
    let tracker = tracker.ok_or_else(|| {
        Error::BadRequest(format!(
            "{name} ({iri}) has no PatchTracker (its document names no sendPatchesTo), \
             so it takes no merge requests"
        ))
    })?;
    let default_branch = Some(text("defaultBranch"))
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| "main".into());
    Ok(Target {
        iri: iri.clone(),
        name,
        tracker,
        default_branch,
    })
}

/// A `Branch` of `repo` as ForgeFed writes it (its IRI as `id` when it has one).
fn branch(repo: &Url, name: &str, id: Option<Url>) -> Value {
    let mut b = json!({"type": "Branch", "context": repo, "name": name,
                       "ref": format!("refs/heads/{name}")});
    if let Some(id) = id {
        b["id"] = json!(id);
    }
    b
}

/// What the person proposes.
pub struct Proposed<'a> {
    /// The source repository (of this instance), its branch and that Branch's IRI.
    pub source: (&'a Url, &'a str, Url),
    pub target: &'a Target,
    pub target_branch: &'a str,
    pub summary: &'a str,
    /// The description, Markdown.
    pub content: &'a str,
}

/// The Offer of the merge request to the target's tracker, invoking `cap` when given.
pub fn merge_request_offer(p: &Proposed, cap: Option<&Url>) -> Result<Value> {
    let tracker = &p.target.tracker;
    let mut activity = offer(tracker, p.summary, p.content, cap)?;
    let (repo, name, id) = &p.source;
    activity["object"]["attachment"] = json!({"type": "Offer",
        "origin": branch(repo, name, Some(id.clone())),
        "target": branch(&p.target.iri, p.target_branch, None)});
    activity["cc"] = json!([p.target.iri]);
    Ok(activity)
}
