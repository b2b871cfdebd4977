//! What the merge request page's forms (`mr_forms`, `mr_decisions`) share: their fields, the
//! merge request a form's path names (404 when it is not there), the review thread it names,
//! and sending the activity then going back to the page (`303`, with `?sent=` unless the
//! tracker accepted, so that the page says why).

use super::act::submit;
use super::answers::answer_to;
use super::error_page::PageResult;
use super::page::redirect_see_other;
use super::ticket_forms::ticket_of;
use crate::error::{Error, Result};
use crate::http::state::AppState;
use actix_web::HttpRequest;
use actors::patch_tracker::PatchTracker;
use actors::urls::ThreadId;
use actors::ActorRef;
use serde::Deserialize;
use serde_json::Value;
use std::time::Duration;
use url::Url;

/// The fields of these forms (absent ones empty: a missing token is refused as a wrong one).
#[derive(Deserialize)]
pub struct MrForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub verdict: String,
    #[serde(default)]
    pub file: String,
    #[serde(default)]
    pub side: String,
    #[serde(default)]
    pub line: String,
}

/// A merge request a form acts on.
pub struct Mr {
    pub r: ActorRef,
    pub n: u64,
    pub tracker: Url,
    pub iri: Url,
    pub doc: Value,
}

/// Merge request `n` of the local PatchTracker `id` (404 when either is missing).
pub async fn mr_of(state: &AppState, req: &HttpRequest, id: &str, n: u64) -> Result<Mr> {
    let (tracker, iri, doc) = ticket_of::<PatchTracker>(state, req, id, n).await?;
    let r = crate::http::outbox::actor_from_path(state, req, "patch-trackers", id)?;
    Ok(Mr {
        r,
        n,
        tracker,
        iri,
        doc,
    })
}

/// Sends `activity` as `user`, waits up to `wait` for the tracker's answer, and goes back to
/// the merge request's page: with `?sent=` unless it was accepted, so that the page says why.
pub async fn send_back(
    state: &AppState,
    user: &str,
    mr: &Mr,
    activity: Value,
    wait: Duration,
) -> PageResult {
    let id = submit(state, user, activity).await?;
    let answer = answer_to(state, user, &id, wait).await?;
    let path = mr.iri.path();
    Ok(redirect_see_other(&match answer {
        Some(a) if a["type"] != "Reject" => path.to_string(),
        _ => {
            let sent: String =
                url::form_urlencoded::byte_serialize(id.as_str().as_bytes()).collect();
            format!("{path}?sent={sent}")
        }
    }))
}

/// The thread a form's path names, checked to exist: its IRI.
pub async fn thread_of(state: &AppState, mr: &Mr, (n, r, t): (u64, u64, u64)) -> Result<Url> {
    use actors::kinds::patch_tracker_reviews::{GetReviewPart, ReviewRead};
    let id = ThreadId { n, r, t };
    let addr = state.registry.get::<PatchTracker>(&mr.r.id).await?;
    let read = GetReviewPart {
        read: ReviewRead::Thread(id),
        page: None,
    };
    match addr.send(read).await.map_err(actors::ActorError::from)? {
        Ok(_) => Ok(state.urls.mr_thread(&mr.r, id)),
        Err(actors::ActorError::NotFound(what)) => Err(Error::NotFound(format!("no {what} here"))),
        Err(e) => Err(e.into()),
    }
}
