// SPDX-License-Identifier: AGPL-3.0-or-later
//! The ForgeFed `Ticket`: an issue, or a merge request (a ticket with an `Offer` attachment).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

use crate::object::{Object, Source};
use crate::one_or_many::{OneOrMany, Types};
use crate::reference::{HasId, IriOrObject};

/// A ForgeFed `Ticket`. `id` is optional: a ticket offered to a tracker has none yet.
/// Keys not modelled here (`attachment`, `managedBy`, `assignments`...) stay in `extra`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ticket {
    /// The JSON-LD `@context`.
    #[serde(rename = "@context", default, skip_serializing_if = "Option::is_none")]
    pub context_ld: Option<Value>,
    /// The ticket's IRI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Url>,
    /// `"Ticket"`.
    #[serde(rename = "type")]
    pub kind: Types,
    /// The tracker (or repository) the ticket belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Url>,
    /// The author.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<IriOrObject<Object>>,
    /// The title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The rendered description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// The media type of `content`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// The description's source (e.g. Markdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Publication time (xsd:dateTime).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// The ticket's followers collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers: Option<Url>,
    /// The discussion collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replies: Option<Url>,
    /// The team collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<Url>,
    /// The history (activities) collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<Url>,
    /// Tickets depending on this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dependants: Option<Url>,
    /// Tickets this one depends on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dependencies: Option<Url>,
    /// Whether the ticket is closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_resolved: Option<bool>,
    /// Who resolved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<Url>,
    /// When it was resolved (xsd:dateTime).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<String>,
    /// Every other key of the document.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Ticket {
    /// A ticket with only `type: Ticket` set.
    pub fn new() -> Self {
        Ticket {
            context_ld: None,
            id: None,
            kind: OneOrMany::One("Ticket".to_owned()),
            context: None,
            attributed_to: None,
            summary: None,
            content: None,
            media_type: None,
            source: None,
            published: None,
            followers: None,
            replies: None,
            team: None,
            history: None,
            dependants: None,
            dependencies: None,
            is_resolved: None,
            resolved_by: None,
            resolved: None,
            extra: Map::new(),
        }
    }

    /// The merge request's `attachment` (an `Offer` with origin/target branches and the
    /// patches), if this ticket is a merge request.
    pub fn merge_request(&self) -> Option<Object> {
        let attachment = self.extra.get("attachment")?;
        let offer = Object::deserialize(attachment).ok()?;
        offer.has_type("Offer").then_some(offer)
    }
}

impl Default for Ticket {
    fn default() -> Self {
        Self::new()
    }
}

impl HasId for Ticket {
    fn id(&self) -> Option<&Url> {
        self.id.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn issue_and_merge_request() {
        let issue: Ticket = serde_json::from_value(json!({
            "type": "Ticket", "summary": "t", "isResolved": false
        }))
        .unwrap();
        assert_eq!(issue.is_resolved, Some(false));
        assert!(issue.merge_request().is_none());

        let mr: Ticket = serde_json::from_value(json!({
            "type": "Ticket",
            "attachment": {"type": "Offer", "origin": {"type": "Branch", "ref": "refs/heads/x"}}
        }))
        .unwrap();
        let offer = mr.merge_request().unwrap();
        assert!(offer.extra_field("origin").is_some());
        assert_eq!(
            serde_json::to_value(Ticket::default()).unwrap(),
            json!({"type": "Ticket"})
        );
    }
}
