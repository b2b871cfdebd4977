// SPDX-License-Identifier: AGPL-3.0-or-later
//! ForgeFed repository objects: `Commit` and `Branch` (as published in a `Push`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

use crate::object::{Object, Source};
use crate::one_or_many::{OneOrMany, Types};
use crate::reference::{HasId, IriOrObject};

/// A ForgeFed `Commit`. Keys not modelled here (`filesAdded`...) stay in `extra`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Commit {
    /// The JSON-LD `@context`.
    #[serde(rename = "@context", default, skip_serializing_if = "Option::is_none")]
    pub context_ld: Option<Value>,
    /// The commit's IRI.
    pub id: Url,
    /// `"Commit"`.
    #[serde(rename = "type")]
    pub kind: Types,
    /// The repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Url>,
    /// The author: an actor IRI, or an object such as `{ name, email }` for a non-actor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<IriOrObject<Object>>,
    /// The committer, same shapes as `attributed_to`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committed_by: Option<IriOrObject<Object>>,
    /// The full hex hash.
    pub hash: String,
    /// The first line of the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The rest of the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Source>,
    /// Author time (xsd:dateTime).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// Commit time (xsd:dateTime).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committed: Option<String>,
    /// Every other key of the document.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Commit {
    /// A commit with only `id`, `type: Commit` and `hash` set.
    pub fn new(id: Url, hash: impl Into<String>) -> Self {
        Commit {
            context_ld: None,
            id,
            kind: OneOrMany::One("Commit".to_owned()),
            context: None,
            attributed_to: None,
            committed_by: None,
            hash: hash.into(),
            summary: None,
            description: None,
            created: None,
            committed: None,
            extra: Map::new(),
        }
    }
}

impl HasId for Commit {
    fn id(&self) -> Option<&Url> {
        Some(&self.id)
    }
}

/// A ForgeFed `Branch`. `id` is optional: branches embedded in a merge request's `Offer` or an
/// `Apply` have none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Branch {
    /// The JSON-LD `@context`.
    #[serde(rename = "@context", default, skip_serializing_if = "Option::is_none")]
    pub context_ld: Option<Value>,
    /// The branch's IRI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Url>,
    /// `"Branch"`.
    #[serde(rename = "type")]
    pub kind: Types,
    /// The short name, e.g. `main`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Url>,
    /// The full git ref, e.g. `refs/heads/main` (the ForgeFed `ref` property).
    #[serde(rename = "ref")]
    pub git_ref: String,
    /// Every other key of the document.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Branch {
    /// A branch with only `type: Branch` and `ref` set.
    pub fn new(git_ref: impl Into<String>) -> Self {
        Branch {
            context_ld: None,
            id: None,
            kind: OneOrMany::One("Branch".to_owned()),
            name: None,
            context: None,
            git_ref: git_ref.into(),
            extra: Map::new(),
        }
    }

    /// The branch name from `ref` (`refs/heads/main` -> `main`; a leading `/`, as in the
    /// ForgeFed `Apply` example, is tolerated); `None` if `ref` is not under `refs/heads/`.
    pub fn head_name(&self) -> Option<&str> {
        let git_ref = self.git_ref.strip_prefix('/').unwrap_or(&self.git_ref);
        git_ref
            .strip_prefix("refs/heads/")
            .filter(|name| !name.is_empty())
    }
}

impl HasId for Branch {
    fn id(&self) -> Option<&Url> {
        self.id.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn commit_with_name_email_author() {
        let c: Commit = serde_json::from_value(json!({
            "id": "https://a.example/r/commits/abc",
            "type": "Commit",
            "hash": "abc",
            "attributedTo": {"name": "Someone", "email": "someone@example.org"},
            "description": {"content": "body"}
        }))
        .unwrap();
        assert_eq!(c.hash, "abc");
        assert!(c
            .attributed_to
            .as_ref()
            .and_then(IriOrObject::as_object)
            .is_some());
        assert_eq!(c.description.map(|d| d.content), Some("body".to_owned()));
        assert!(serde_json::from_value::<Commit>(
            json!({"id": "https://a.example/c", "type": "Commit"})
        )
        .is_err());
    }

    #[test]
    fn branch_names() {
        let mut b = Branch::new("refs/heads/main");
        assert_eq!(b.head_name(), Some("main"));
        b.git_ref = "/refs/heads/fix/x".to_owned();
        assert_eq!(b.head_name(), Some("fix/x"));
        b.git_ref = "refs/tags/v1".to_owned();
        assert_eq!(b.head_name(), None);
        b.git_ref = "refs/heads/".to_owned();
        assert_eq!(b.head_name(), None);
        assert_eq!(
            serde_json::to_value(Branch::new("refs/heads/main")).unwrap(),
            json!({"type": "Branch", "ref": "refs/heads/main"})
        );
    }

    #[test]
    fn typed_conversions() {
        let branch = Branch::new("refs/heads/main");
        let object = Object::from_typed(&branch).unwrap();
        assert!(object.has_type("Branch"));
        assert_eq!(object.to_typed::<Branch>(), Some(branch));
        assert!(Object::from_typed(&3).is_err());
        assert!(object.to_typed::<Commit>().is_none());
    }
}
