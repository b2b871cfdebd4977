// SPDX-License-Identifier: AGPL-3.0-or-later
//! The generic ActivityStreams `Object` (Note, Ticket, Commit, Branch, Patch, Relationship,
//! collections, embedded activities...) and `Source`, the `{ content, mediaType }` pair.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

use crate::one_or_many::{OneOrMany, Types};
use crate::reference::{HasId, IriOrObject, ObjectRef};

/// Any object. Every field is optional (an `Edit`'s embedded object may have no `type`), and
/// keys not modelled here stay in `extra`, so any JSON object parses and round-trips.
/// Use `to_typed` for a specific shape (`Activity`, `Commit`, `Ticket`, `OrderedCollection`...).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Object {
    /// The JSON-LD `@context`.
    #[serde(rename = "@context", default, skip_serializing_if = "Option::is_none")]
    pub context_ld: Option<Value>,
    /// The object's IRI (absent on objects embedded in an `Offer` or a `Push`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Url>,
    /// The type(s).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Types>,
    /// A name, e.g. a branch name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A summary, e.g. a ticket title or a commit's first line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The content, in `media_type` (HTML by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// The media type of `content`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// The source the content was rendered from: usually a `Source` object, but a bare string
    /// in the ForgeFed `Edit` example, hence a raw value (see `Object::source_object`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Value>,
    /// The author(s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<OneOrMany<IriOrObject<Object>>>,
    /// The ActivityStreams `context`: the repository of a commit, the tracker of a ticket...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<ObjectRef>,
    /// What this object replies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<ObjectRef>,
    /// Publication time (xsd:dateTime).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Last update time (xsd:dateTime).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    /// Primary audience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<OneOrMany<Url>>,
    /// Secondary audience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cc: Option<OneOrMany<Url>>,
    /// Every other key of the document.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Object {
    /// An object with only a `type`.
    pub fn new(kind: impl Into<String>) -> Self {
        Object {
            kind: Some(OneOrMany::One(kind.into())),
            ..Object::default()
        }
    }

    /// Whether `t` is one of the object's types (false if it has no `type`).
    pub fn has_type(&self, t: &str) -> bool {
        self.kind.as_ref().is_some_and(|kind| kind.has_type(t))
    }

    /// The first `type`, if any.
    pub fn primary_type(&self) -> Option<&str> {
        self.kind.as_ref().and_then(|kind| kind.primary())
    }

    /// The first author's IRI (or embedded author's id).
    pub fn attributed_to_id(&self) -> Option<&Url> {
        self.attributed_to.as_ref()?.first()?.id()
    }

    /// The IRI of the ActivityStreams `context`.
    pub fn context_id(&self) -> Option<&Url> {
        self.context.as_ref()?.id()
    }

    /// `source` as a `Source` object, when it is one.
    pub fn source_object(&self) -> Option<Source> {
        self.source
            .as_ref()
            .and_then(|source| Source::deserialize(source).ok())
    }

    /// Any serializable document (a `Commit`, an `OrderedCollection`, an `Activity`...) as a
    /// generic object, e.g. to embed it with `ObjectRef::from`. Fails only if `value` does not
    /// serialize to a JSON object.
    pub fn from_typed<T: Serialize>(value: &T) -> Result<Object, serde_json::Error> {
        serde_json::to_value(value).and_then(serde_json::from_value)
    }

    /// This object deserialized as `T`; `None` if it does not fit `T`.
    pub fn to_typed<T: DeserializeOwned>(&self) -> Option<T> {
        serde_json::to_value(self)
            .ok()
            .and_then(|value| serde_json::from_value(value).ok())
    }

    /// The value of a key kept in `extra` (not modelled as a field).
    pub fn extra_field(&self, key: &str) -> Option<&Value> {
        self.extra.get(key)
    }
}

impl HasId for Object {
    fn id(&self) -> Option<&Url> {
        self.id.as_ref()
    }
}

/// The `{ content, mediaType }` pair used by `source` (e.g. Markdown of a Ticket) and by a
/// Commit's `description`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    /// The text.
    pub content: String,
    /// Its media type, e.g. `text/markdown; variant=Commonmark` or `text/plain`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn untyped_object_with_string_source() {
        let doc = json!({
            "id": "http://dev.example/people/JABld/messages/PAQlD",
            "source": "Hello world",
            "content": "<p>Hello world</p>"
        });
        let o: Object = serde_json::from_value(doc.clone()).unwrap();
        assert!(o.kind.is_none());
        assert!(!o.has_type("Note"));
        assert_eq!(o.source, Some(json!("Hello world")));
        assert_eq!(o.source_object(), None);
        assert_eq!(serde_json::to_value(&o).unwrap(), doc);
    }

    #[test]
    fn source_object_and_extra() {
        let o: Object = serde_json::from_value(json!({
            "type": "Ticket",
            "source": {"content": "*hi*", "mediaType": "text/markdown"},
            "isResolved": true,
            "attributedTo": "https://a.example/luke",
            "context": "https://a.example/repo"
        }))
        .unwrap();
        assert_eq!(o.primary_type(), Some("Ticket"));
        assert_eq!(
            o.source_object().map(|s| s.content),
            Some("*hi*".to_owned())
        );
        assert_eq!(o.extra_field("isResolved"), Some(&json!(true)));
        assert_eq!(
            o.attributed_to_id().map(Url::as_str),
            Some("https://a.example/luke")
        );
        assert_eq!(
            o.context_id().map(Url::as_str),
            Some("https://a.example/repo")
        );
    }

    #[test]
    fn new_and_default_serialize_minimally() {
        assert_eq!(serde_json::to_value(Object::default()).unwrap(), json!({}));
        assert_eq!(
            serde_json::to_value(Object::new("Note")).unwrap(),
            json!({"type": "Note"})
        );
    }
}
