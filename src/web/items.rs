//! The entries of the pages' lists (repositories, trackers, projects), built from the listing
//! entries of `actors::data::listings::summary` and the held resources of
//! `actors::grants::held`.

use crate::error::Result;
use crate::http::repo_access::blocking;
use crate::http::state::AppState;
use actors::audience::Reader;
use actors::grants::held::held_by;
use actors::{ActorKind, ActorRef};
use serde_json::Value;

/// An RFC 3339 time as the pages show it: `YYYY-MM-DD HH:MM` (UTC).
pub fn short_time(t: &str) -> String {
    t.chars().take(16).collect::<String>().replace('T', " ")
}

/// One resource as a list shows it.
#[derive(Debug, Clone)]
pub struct ListItem {
    /// The resource page's path on this instance (`/repos/<id>`), or its IRI elsewhere.
    pub path: String,
    pub name: String,
    pub summary: String,
    /// The day it was created (`YYYY-MM-DD`).
    pub published: String,
    pub stars: u64,
    pub private: bool,
}

impl ListItem {
    /// From a listing entry.
    pub fn from_summary(v: &Value) -> ListItem {
        let text = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let iri = text("id");
        let path = url::Url::parse(&iri)
            .map(|u| u.path().to_string())
            .unwrap_or(iri);
        let name = match text("name") {
            n if n.is_empty() => text("localId"),
            n => n,
        };
        ListItem {
            path,
            name,
            summary: text("summary"),
            published: text("published").chars().take(10).collect(),
            stars: v.get("stars").and_then(Value::as_u64).unwrap_or(0),
            private: text("visibility") == "private",
        }
    }
}

/// The resources of `kind` the local person `username` holds write or more on, as `reader` may
/// see them (local ones; None when there is no such person).
pub async fn held(
    state: &AppState,
    username: &str,
    kind: ActorKind,
    reader: Reader,
) -> Result<Option<Vec<ListItem>>> {
    let env = state.registry.env().clone();
    let person = ActorRef::new(ActorKind::Person, username);
    let held = blocking(move || held_by(&env, &person, kind, &reader)).await?;
    Ok(held.map(|h| h.items.iter().map(ListItem::from_summary).collect()))
}
