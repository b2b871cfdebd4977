//! The dashboard's "across instances" section, for the dashboard page to call: the remote
//! tickets the person opened (the Accepts of their Offers, with the ticket as `result`, from
//! trackers of other instances, in their newest inbox pages) and the remote resources they may
//! push to (`write` Grants or more on another instance's resources). A page shows it with a
//! field `remote: RemoteSummary` and `{% include "remote/dashboard_section.html" %}` (the
//! look-up page does, when nothing is looked up).

use super::grant_of;
use crate::error::Result;
use crate::http::state::AppState;
use actors::audience::Reader;
use actors::messages::GetCollection;
use actors::{ActorKind, ActorRef};
use schema::Role;
use serde_json::Value;

/// How many inbox pages are read for opened tickets.
const INBOX_PAGES: u64 = 5;

/// One remote item of the section.
pub struct RemoteItem {
    pub iri: String,
    /// Its look-up page on this instance.
    pub lookup: String,
    /// What it is: the ticket's title, or the role held.
    pub label: String,
}

/// The section's data.
#[derive(Default)]
pub struct RemoteSummary {
    pub tickets: Vec<RemoteItem>,
    pub writable: Vec<RemoteItem>,
    /// Whether the section links to the look-up page (not on that page itself).
    pub link_lookup: bool,
}

/// `username`'s remote tickets and the remote resources they may push to.
pub async fn remote_for(state: &AppState, username: &str) -> Result<RemoteSummary> {
    let mut out = RemoteSummary {
        link_lookup: true,
        ..RemoteSummary::default()
    };
    for (context, grants) in grant_of::all_mine(state, username).await? {
        let best = grants.iter().map(|g| g.role).max();
        let local = context.origin() == state.settings.public_url.origin();
        if let Some(role) = best.filter(|r| *r >= Role::Write && !local) {
            out.writable.push(RemoteItem {
                lookup: lookup_path(context.as_str()),
                iri: context.to_string(),
                label: role.as_str().to_string(),
            });
        }
    }
    let person = ActorRef::new(ActorKind::Person, username);
    for page in 1..=INBOX_PAGES {
        let msg = GetCollection {
            name: "inbox".into(),
            page: Some(page),
            reader: Reader::Owner,
        };
        let doc: Value = match state.registry.send(&person, msg).await {
            Ok(doc) => doc,
            Err(actors::ActorError::NotFound(_)) => break,
            Err(e) => return Err(e.into()),
        };
        let items = doc["orderedItems"].as_array().cloned().unwrap_or_default();
        out.tickets
            .extend(items.iter().filter_map(|a| opened_ticket(state, a)));
        if doc.get("next").is_none() {
            break;
        }
    }
    Ok(out)
}

/// The remote ticket an inbox item says the person opened: a remote tracker's Accept of an
/// Offer of a Ticket, naming the ticket as its `result`.
fn opened_ticket(state: &AppState, a: &Value) -> Option<RemoteItem> {
    let offer = &a["object"];
    let is_offer = a["type"] == "Accept" && offer["type"] == "Offer";
    let result = a["result"].as_str().and_then(|r| url::Url::parse(r).ok())?;
    if !is_offer || result.origin() == state.settings.public_url.origin() {
        return None;
    }
    let summary = offer["object"]["summary"].as_str().unwrap_or_default();
    Some(RemoteItem {
        lookup: lookup_path(result.as_str()),
        iri: result.to_string(),
        label: summary.to_string(),
    })
}

/// The look-up page of `iri`.
pub fn lookup_path(iri: &str) -> String {
    let q: String = url::form_urlencoded::byte_serialize(iri.as_bytes()).collect();
    format!("/lookup?q={q}")
}
