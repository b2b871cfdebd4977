//! What a person starred: the Likes of their outbox not undone since, newest first (the first
//! pages of the outbox, as the visitor may read it: the person sees all of theirs).

use crate::error::Result;
use crate::http::state::AppState;
use actors::audience::Reader;
use actors::messages::GetCollection;
use actors::ActorRef;
use serde_json::Value;
use std::collections::HashSet;

/// Outbox pages read for a person's stars.
const PAGES: u64 = 5;

/// The IRIs `person` starred (their latest Likes `reader` may read that were not undone).
pub async fn starred_by(
    state: &AppState,
    person: &ActorRef,
    reader: Reader,
) -> Result<Vec<String>> {
    let (mut undone, mut seen, mut out) = (HashSet::new(), HashSet::new(), Vec::new());
    for page in 1..=PAGES {
        let doc = state
            .registry
            .send(
                person,
                GetCollection {
                    name: "outbox".into(),
                    page: Some(page),
                    reader: reader.clone(),
                },
            )
            .await?;
        let items = doc["orderedItems"].as_array().cloned().unwrap_or_default();
        for a in &items {
            collect(a, &mut undone, &mut seen, &mut out);
        }
        if doc.get("next").is_none() {
            break;
        }
    }
    Ok(out)
}

fn iri(v: &Value) -> Option<String> {
    v.as_str()
        .or_else(|| v.get("id").and_then(Value::as_str))
        .map(str::to_string)
}

/// One outbox item, newest first: an Undo hides the Like it names (older, so seen later).
fn collect(
    a: &Value,
    undone: &mut HashSet<String>,
    seen: &mut HashSet<String>,
    out: &mut Vec<String>,
) {
    match a["type"].as_str() {
        Some("Undo") => {
            if let Some(like) = iri(&a["object"]) {
                undone.insert(like);
            }
        }
        Some("Like") => {
            let id = iri(a).unwrap_or_default();
            if let Some(object) =
                iri(&a["object"]).filter(|o| o.starts_with("https://") || o.starts_with("http://"))
            {
                if !undone.contains(&id) && seen.insert(object.clone()) {
                    out.push(object);
                }
            }
        }
        _ => {}
    }
}
