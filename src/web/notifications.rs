//! Notifications of the signed-in person: their inbox (follows, stars, invitations, Grants,
//! tickets and comments, pushes: whatever reached them) as a feed, newest first, with
//! read/unread state (`actors::data::notifications`: a per-person high-water mark).

use crate::error::Result;
use crate::http::state::AppState;
use actors::audience::Reader;
use actors::messages::GetCollection;
use actors::{ActorKind, ActorRef};
use serde_json::Value;

/// Unread notifications of `username`.
pub fn unread(state: &AppState, username: &str) -> Result<u64> {
    Ok(actors::data::notifications::unread(
        state.registry.env(),
        username,
    )?)
}

/// One inbox item as the feed shows it.
#[derive(Debug, Clone)]
pub struct Notification {
    /// The activity's type (`Follow`, `Like`, `Offer`, `Grant`...).
    pub kind: String,
    /// Who did it (an actor IRI).
    pub actor: String,
    /// What it is about: the object's name, IRI or type.
    pub object: String,
    pub published: String,
    pub unread: bool,
}

/// One page of the feed.
pub struct Feed {
    pub items: Vec<Notification>,
    /// Inbox items in all.
    pub total: u64,
    /// Whether an older page follows.
    pub more: bool,
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(o) => ["name", "summary", "id", "type"]
            .iter()
            .find_map(|k| o.get(*k).and_then(Value::as_str))
            .unwrap_or("")
            .to_string(),
        _ => String::new(),
    }
}

/// Page `page` (from 1) of `username`'s notifications.
pub async fn feed(state: &AppState, username: &str, page: u64) -> Result<Feed> {
    let person = ActorRef::new(ActorKind::Person, username);
    let env = state.registry.env();
    let total = actors::data::notifications::inbox_size(env, username)?;
    let mark = actors::data::notifications::read_mark(env, username)?;
    let doc = state
        .registry
        .send(
            &person,
            GetCollection {
                name: "inbox".into(),
                page: Some(page),
                reader: Reader::Owner,
            },
        )
        .await?;
    let raw = doc["orderedItems"].as_array().cloned().unwrap_or_default();
    let first = (page - 1) * actors::base::paging::PAGE_SIZE as u64;
    let items = raw
        .iter()
        .enumerate()
        .map(|(i, a)| {
            // Newest first: the item's position from the oldest.
            let seq = total.saturating_sub(1 + first + i as u64);
            Notification {
                kind: a["type"].as_str().unwrap_or("Activity").to_string(),
                actor: text(&a["actor"]),
                object: text(&a["object"]),
                published: a["published"]
                    .as_str()
                    .unwrap_or("")
                    .chars()
                    .take(16)
                    .collect(),
                unread: seq >= mark,
            }
        })
        .collect();
    Ok(Feed {
        items,
        total,
        more: doc.get("next").is_some(),
    })
}
