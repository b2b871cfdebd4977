// SPDX-License-Identifier: AGPL-3.0-or-later
//! References to other documents: `IriOrObject` (an IRI or an embedded object), `ObjectRef`
//! (the same, or a bare term such as a role name), and the `HasId` trait.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::object::Object;
use crate::role::Role;

/// A document that may carry an `id`.
pub trait HasId {
    /// The document's `id`, if it has one.
    fn id(&self) -> Option<&Url>;
}

/// A value that is either an IRI (a JSON string) or an embedded object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IriOrObject<T> {
    /// A reference by IRI.
    Iri(Url),
    /// The object itself, embedded.
    Object(Box<T>),
}

impl<T> IriOrObject<T> {
    /// The embedded object, if the value is one.
    pub fn as_object(&self) -> Option<&T> {
        match self {
            Self::Iri(_) => None,
            Self::Object(object) => Some(object),
        }
    }

    /// The IRI, if the value is a bare IRI.
    pub fn as_iri(&self) -> Option<&Url> {
        match self {
            Self::Iri(iri) => Some(iri),
            Self::Object(_) => None,
        }
    }

    /// Takes the embedded object out, if the value is one.
    pub fn into_object(self) -> Option<T> {
        match self {
            Self::Iri(_) => None,
            Self::Object(object) => Some(*object),
        }
    }
}

impl<T: HasId> IriOrObject<T> {
    /// The IRI, or the embedded object's `id`.
    pub fn id(&self) -> Option<&Url> {
        match self {
            Self::Iri(iri) => Some(iri),
            Self::Object(object) => object.id(),
        }
    }
}

impl<T> From<Url> for IriOrObject<T> {
    fn from(iri: Url) -> Self {
        Self::Iri(iri)
    }
}

/// What an activity's `object`, `target`, `origin`, `instrument`, `result` or `context` holds:
/// an IRI, an embedded object, or a bare term that is not an IRI (ForgeFed writes roles that way:
/// `Grant { object: "admin" }`, `Invite { instrument: "maintain" }`).
///
/// Parsing tries, in order: IRI, embedded object, term. A string that parses as an absolute URL
/// (including compact forms like `forge:admin`) is an `Iri`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ObjectRef {
    /// A reference by IRI.
    Iri(Url),
    /// An embedded object (any shape: activity, Ticket, Branch, OrderedCollection...).
    Object(Box<Object>),
    /// A string that is not an absolute IRI, such as a role term.
    Term(String),
}

impl ObjectRef {
    /// The IRI, or the embedded object's `id` (`None` for a term or an object without id).
    pub fn id(&self) -> Option<&Url> {
        match self {
            Self::Iri(iri) => Some(iri),
            Self::Object(object) => object.id.as_ref(),
            Self::Term(_) => None,
        }
    }

    /// The IRI, if the value is a bare IRI.
    pub fn as_iri(&self) -> Option<&Url> {
        match self {
            Self::Iri(iri) => Some(iri),
            _ => None,
        }
    }

    /// The embedded object, if the value is one.
    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Self::Object(object) => Some(object),
            _ => None,
        }
    }

    /// The term, if the value is a string that is not an IRI.
    pub fn as_term(&self) -> Option<&str> {
        match self {
            Self::Term(term) => Some(term),
            _ => None,
        }
    }

    /// The role named by a term (`"admin"`) or a role IRI (`https://forgefed.org/ns#admin`).
    pub fn role(&self) -> Option<Role> {
        match self {
            Self::Iri(iri) => iri.as_str().parse().ok(),
            Self::Term(term) => term.parse().ok(),
            Self::Object(_) => None,
        }
    }

    /// Whether the value is an embedded object of type `t`.
    pub fn has_type(&self, t: &str) -> bool {
        self.as_object().is_some_and(|object| object.has_type(t))
    }

    /// The embedded object deserialized as `T` (e.g. `Activity`, `Branch`, `OrderedCollection`);
    /// `None` for an IRI, a term, or an object that does not fit `T`.
    pub fn object_as<T: DeserializeOwned>(&self) -> Option<T> {
        self.as_object().and_then(Object::to_typed)
    }
}

impl From<Url> for ObjectRef {
    fn from(iri: Url) -> Self {
        Self::Iri(iri)
    }
}

impl From<Object> for ObjectRef {
    fn from(object: Object) -> Self {
        Self::Object(Box::new(object))
    }
}

impl From<Role> for ObjectRef {
    fn from(role: Role) -> Self {
        Self::Term(role.as_str().to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn object_ref_shapes() {
        let iri: ObjectRef = serde_json::from_value(json!("https://a.example/r")).unwrap();
        assert_eq!(iri.id(), Some(&url("https://a.example/r")));

        let term: ObjectRef = serde_json::from_value(json!("maintain")).unwrap();
        assert_eq!(term, ObjectRef::Term("maintain".into()));
        assert_eq!(term.role(), Some(Role::Maintain));
        assert_eq!(term.id(), None);
        assert_eq!(serde_json::to_value(&term).unwrap(), json!("maintain"));

        let role_iri: ObjectRef =
            serde_json::from_value(json!("https://forgefed.org/ns#write")).unwrap();
        assert!(role_iri.as_iri().is_some());
        assert_eq!(role_iri.role(), Some(Role::Write));

        let obj: ObjectRef =
            serde_json::from_value(json!({"type": "Branch", "ref": "refs/heads/main"})).unwrap();
        assert!(obj.has_type("Branch"));
        assert_eq!(obj.id(), None);
        assert_eq!(obj.role(), None);
        assert_eq!(
            ObjectRef::from(Role::Admin),
            ObjectRef::Term("admin".into())
        );
        assert!(serde_json::from_value::<ObjectRef>(json!(1.5)).is_err());
    }
}
