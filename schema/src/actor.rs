// SPDX-License-Identifier: AGPL-3.0-or-later
//! Actor documents (Person, Application, Service, Factory, Repository, TicketTracker,
//! PatchTracker, Project, Team...) and their `endpoints`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

use crate::key::{self, PublicKey, PublicKeys};
use crate::object::Object;
use crate::one_or_many::{OneOrMany, Types};
use crate::reference::{HasId, IriOrObject};

/// An actor's `endpoints` object.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    /// The inbox shared by the actors of a server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_inbox: Option<Url>,
    /// Every other endpoint.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Any actor document. A document is an actor when it has an `inbox`.
///
/// Keys not modelled here (`url`, `icon`, `cloneUri`, `team`, `collaborators`, the AS `context`
/// of a Team...) stay in `extra`, so a document survives a parse/serialize round trip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Actor {
    /// The JSON-LD `@context` (not the ActivityStreams `context`, which stays in `extra`).
    #[serde(rename = "@context", default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
    /// The actor's IRI.
    pub id: Url,
    /// The actor type(s), e.g. `"Person"` or `["Repository", "TicketTracker"]`.
    #[serde(rename = "type")]
    pub kind: Types,
    /// Where activities for this actor are POSTed.
    pub inbox: Url,
    /// The actor's outbox.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbox: Option<Url>,
    /// The followers collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers: Option<Url>,
    /// The following collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub following: Option<Url>,
    /// The liked-by collection (stars of a repository or project).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub likes: Option<Url>,
    /// The short name, e.g. `aviva`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_username: Option<String>,
    /// The display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A description (HTML).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The actor's keys: one object, an array of objects and/or IRIs, or a bare IRI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<PublicKeys>,
    /// The `endpoints` object (`sharedInbox`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<Endpoints>,
    /// ForgeFed Factory: the actor types it can create.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_actor_types: Option<OneOrMany<String>>,
    /// Who the actor is attributed to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<OneOrMany<IriOrObject<Object>>>,
    /// Creation time (xsd:dateTime).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Every other key of the document.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Actor {
    /// An actor with only `id`, one `type` and `inbox` set.
    pub fn new(id: Url, kind: impl Into<String>, inbox: Url) -> Self {
        Actor {
            context: None,
            id,
            kind: OneOrMany::One(kind.into()),
            inbox,
            outbox: None,
            followers: None,
            following: None,
            likes: None,
            preferred_username: None,
            name: None,
            summary: None,
            public_key: None,
            endpoints: None,
            available_actor_types: None,
            attributed_to: None,
            published: None,
            extra: Map::new(),
        }
    }

    /// Whether `t` is one of the actor's types.
    pub fn has_type(&self, t: &str) -> bool {
        self.kind.has_type(t)
    }

    /// The PEM of the embedded `publicKey` entry whose id is `key_id` and whose owner is this
    /// actor. Keys given only by IRI are not resolved here.
    pub fn key_pem_for(&self, key_id: &Url) -> Option<&str> {
        self.public_key
            .as_ref()
            .and_then(|keys| key::find_key_pem(keys, &self.id, key_id))
    }

    /// Whether the actor's `publicKey` names `key_id`, by IRI or as an embedded key (used to
    /// confirm a standalone key document's `owner`).
    pub fn lists_key(&self, key_id: &Url) -> bool {
        self.public_key
            .as_ref()
            .is_some_and(|keys| key::lists_key(keys, key_id))
    }

    /// The embedded keys that this actor owns.
    pub fn public_keys(&self) -> impl Iterator<Item = &PublicKey> {
        self.public_key
            .iter()
            .flat_map(|keys| keys.iter())
            .filter_map(IriOrObject::as_object)
            .filter(move |key| key.owner == self.id)
    }

    /// `endpoints.sharedInbox`, if any.
    pub fn shared_inbox(&self) -> Option<&Url> {
        self.endpoints.as_ref()?.shared_inbox.as_ref()
    }

    /// Where to deliver to this actor: the shared inbox if there is one, else the inbox.
    pub fn delivery_inbox(&self) -> &Url {
        self.shared_inbox().unwrap_or(&self.inbox)
    }
}

impl HasId for Actor {
    fn id(&self) -> Option<&Url> {
        Some(&self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn actor_with_keys(keys: Value) -> Actor {
        serde_json::from_value(json!({
            "id": "https://a.example/u/1",
            "type": "Person",
            "inbox": "https://a.example/u/1/inbox",
            "publicKey": keys
        }))
        .unwrap()
    }

    fn key(id: &str, owner: &str) -> Value {
        json!({"id": id, "owner": owner, "publicKeyPem": format!("PEM of {id}")})
    }

    #[test]
    fn key_pem_for_object() {
        let a = actor_with_keys(key(
            "https://a.example/u/1#main-key",
            "https://a.example/u/1",
        ));
        let id = url("https://a.example/u/1#main-key");
        assert_eq!(
            a.key_pem_for(&id),
            Some("PEM of https://a.example/u/1#main-key")
        );
        assert!(a.lists_key(&id));
        assert_eq!(a.public_keys().count(), 1);
        assert_eq!(a.key_pem_for(&url("https://a.example/u/1#other")), None);
    }

    #[test]
    fn key_pem_for_array() {
        let a = actor_with_keys(json!([
            "https://a.example/akey1",
            key("https://a.example/akey2", "https://a.example/u/1"),
            key("https://a.example/akey3", "https://elsewhere.example/")
        ]));
        assert_eq!(a.key_pem_for(&url("https://a.example/akey1")), None);
        assert!(a.lists_key(&url("https://a.example/akey1")));
        assert_eq!(
            a.key_pem_for(&url("https://a.example/akey2")),
            Some("PEM of https://a.example/akey2")
        );
        // A key claiming another owner is never this actor's key.
        assert_eq!(a.key_pem_for(&url("https://a.example/akey3")), None);
        assert_eq!(a.public_keys().count(), 1);
    }

    #[test]
    fn key_pem_for_iri() {
        let a = actor_with_keys(json!("https://a.example/akey1"));
        assert_eq!(a.key_pem_for(&url("https://a.example/akey1")), None);
        assert!(a.lists_key(&url("https://a.example/akey1")));
        assert!(!a.lists_key(&url("https://a.example/akey2")));
    }

    #[test]
    fn inboxes() {
        let mut a = Actor::new(
            url("https://a.example/u/1"),
            "Person",
            url("https://a.example/u/1/inbox"),
        );
        assert_eq!(a.shared_inbox(), None);
        assert_eq!(a.delivery_inbox(), &url("https://a.example/u/1/inbox"));
        a.endpoints = Some(Endpoints {
            shared_inbox: Some(url("https://a.example/inbox")),
            extra: Map::new(),
        });
        assert_eq!(a.delivery_inbox(), &url("https://a.example/inbox"));
        let v = serde_json::to_value(&a).unwrap();
        assert_eq!(
            v["endpoints"],
            json!({"sharedInbox": "https://a.example/inbox"})
        );
        assert!(v.get("outbox").is_none());
    }

    #[test]
    fn inbox_is_required() {
        let r = serde_json::from_value::<Actor>(
            json!({"id": "https://a.example/", "type": "Application"}),
        );
        assert!(r.is_err());
    }
}
