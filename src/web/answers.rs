//! Waiting, briefly, for the answer to what a form sent: the Accept or Reject (or, for a
//! comment, the tracker's Announce) whose `object` is that activity, in the sender's inbox.
//! The resource answers asynchronously: a local one within milliseconds, a remote one maybe
//! later. A form that gets its answer in time goes on to what it made (the new ticket, the
//! new repository); otherwise the answer shows up in the person's notifications. [`outcome`]
//! says what became of one, for a page that shows it.

use crate::error::Result;
use crate::http::state::AppState;
use actors::audience::Reader;
use actors::messages::GetCollection;
use actors::{ActorKind, ActorRef};
use serde_json::Value;
use std::time::Duration;
use url::Url;

/// How long a form waits for an answer.
pub const WAIT: Duration = Duration::from_secs(3);

/// How long the creating form waits: a new resource's key is generated first.
pub const CREATE_WAIT: Duration = Duration::from_secs(10);

/// The answer to `activity` in `user`'s newest inbox page, waiting up to `wait`.
pub async fn answer_to(
    state: &AppState,
    user: &str,
    activity: &Url,
    wait: Duration,
) -> Result<Option<Value>> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        if let Some(found) = find(state, user, activity).await? {
            return Ok(Some(found));
        }
        if tokio::time::Instant::now() >= deadline {
            return Ok(None);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The answer to `activity` among `user`'s newest inbox items.
pub async fn find(state: &AppState, user: &str, activity: &Url) -> Result<Option<Value>> {
    let person = ActorRef::new(ActorKind::Person, user);
    let msg = GetCollection {
        name: "inbox".into(),
        page: Some(1),
        reader: Reader::Owner,
    };
    let page: Value = match state.registry.send(&person, msg).await {
        Ok(page) => page,
        // An empty inbox has no page 1.
        Err(actors::ActorError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let items = page["orderedItems"].as_array().cloned().unwrap_or_default();
    Ok(items.into_iter().find(|v| is_answer_to(v, activity)))
}

/// Whether `v` is an Accept, Reject or Announce of `activity` (embedded or named).
pub fn is_answer_to(v: &Value, activity: &Url) -> bool {
    let object = &v["object"];
    let named = object.as_str().or_else(|| object["id"].as_str());
    matches!(v["type"].as_str(), Some("Accept" | "Reject" | "Announce"))
        && named == Some(activity.as_str())
}

/// What became of the activity `sent` (an IRI from a page's `?sent=`) that `user` sent, as a
/// sentence: the Reject's reason, done, or still waiting; "" for what is not an IRI.
pub async fn outcome(state: &AppState, user: &str, sent: &str) -> Result<String> {
    let Ok(id) = Url::parse(sent) else {
        return Ok(String::new());
    };
    Ok(match find(state, user, &id).await? {
        Some(a) if a["type"] == "Reject" => format!(
            "Refused: {}",
            a["summary"].as_str().unwrap_or("no reason given")
        ),
        Some(a) if a["type"] == "Accept" => "Accepted.".into(),
        Some(_) => "Done.".into(),
        None => "Sent; the answer will appear in your notifications.".into(),
    })
}
