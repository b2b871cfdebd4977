// SPDX-License-Identifier: AGPL-3.0-or-later
//! Public keys of actors (`publicKey`) and the documents a signature's `keyId` may resolve to.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

use crate::one_or_many::{OneOrMany, Types};
use crate::reference::{HasId, IriOrObject};

/// A key in the security vocabulary: `{ id, owner, publicKeyPem }` (SPKI PEM).
///
/// Also parses a standalone key document (Vervis serves those, with `@context` and
/// `type: "Key"`); those extra keys are not kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicKey {
    /// The key id, as used in an HTTP signature's `keyId`.
    pub id: Url,
    /// The actor owning the key.
    pub owner: Url,
    /// The key in PEM (SPKI, `-----BEGIN PUBLIC KEY-----`).
    pub public_key_pem: String,
}

impl HasId for PublicKey {
    fn id(&self) -> Option<&Url> {
        Some(&self.id)
    }
}

/// The `publicKey` value of a document: one key or several, each embedded or by IRI.
pub type PublicKeys = OneOrMany<IriOrObject<PublicKey>>;

/// The PEM of the embedded key whose id is `key_id` and whose owner is `owner`.
pub fn find_key_pem<'a>(keys: &'a PublicKeys, owner: &Url, key_id: &Url) -> Option<&'a str> {
    keys.iter()
        .filter_map(IriOrObject::as_object)
        .find(|key| &key.id == key_id && &key.owner == owner)
        .map(|key| key.public_key_pem.as_str())
}

/// Whether `keys` names `key_id`, by IRI or as an embedded key.
pub fn lists_key(keys: &PublicKeys, key_id: &Url) -> bool {
    keys.iter().any(|key| key.id() == Some(key_id))
}

/// Any document with an `id` and `publicKey`, whether or not it is a full actor: Forgejo's
/// instance actor (`type: Application`) has no `inbox`, so it does not parse as an `Actor`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyOwner {
    /// The document's `@context`.
    #[serde(rename = "@context", default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
    /// The owner's id.
    pub id: Url,
    /// The owner's type(s).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Types>,
    /// The owner's keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<PublicKeys>,
    /// Every other key of the document.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl KeyOwner {
    /// The PEM of the embedded key `key_id`, if this document owns it.
    pub fn key_pem_for(&self, key_id: &Url) -> Option<&str> {
        self.public_key
            .as_ref()
            .and_then(|keys| find_key_pem(keys, &self.id, key_id))
    }
}

/// What fetching a signature's `keyId` returns: a standalone key document (Vervis), or the
/// owner's document with the key embedded (Mastodon, Forgejo, Orchard: `<actor>#main-key`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum KeyDocument {
    /// A standalone key: `{ id, owner, publicKeyPem }`.
    Key(PublicKey),
    /// An actor-like document carrying its keys in `publicKey`.
    Owner(KeyOwner),
}

impl KeyDocument {
    /// The key `key_id` described by this document, if any. For a standalone key the caller
    /// must still check that the owner's actor document lists the key (`Actor::lists_key`).
    pub fn key_for(&self, key_id: &Url) -> Option<&PublicKey> {
        match self {
            Self::Key(key) => (&key.id == key_id).then_some(key),
            Self::Owner(owner) => owner.public_key.as_ref().and_then(|keys| {
                keys.iter()
                    .filter_map(IriOrObject::as_object)
                    .find(|key| &key.id == key_id && key.owner == owner.id)
            }),
        }
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
    fn standalone_key_document() {
        let doc: KeyDocument = serde_json::from_value(json!({
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v2"],
            "id": "https://grape.example/akey1",
            "type": "Key",
            "owner": "https://grape.example/factories/1",
            "publicKeyPem": "PEM"
        }))
        .unwrap();
        let key = doc.key_for(&url("https://grape.example/akey1")).unwrap();
        assert_eq!(key.owner, url("https://grape.example/factories/1"));
        assert!(doc.key_for(&url("https://grape.example/akey2")).is_none());
    }

    #[test]
    fn owner_document_without_inbox() {
        let doc: KeyDocument = serde_json::from_value(json!({
            "id": "https://d.example/actor",
            "type": "Application",
            "publicKey": {"id": "https://d.example/actor#main-key", "owner": "https://d.example/actor", "publicKeyPem": "PEM"}
        }))
        .unwrap();
        let key = doc
            .key_for(&url("https://d.example/actor#main-key"))
            .unwrap();
        assert_eq!(key.public_key_pem, "PEM");
        let KeyDocument::Owner(owner) = &doc else {
            panic!("expected an owner document")
        };
        assert_eq!(
            owner.key_pem_for(&url("https://d.example/actor#main-key")),
            Some("PEM")
        );
        assert_eq!(
            owner.key_pem_for(&url("https://d.example/actor#other")),
            None
        );
    }

    #[test]
    fn key_owned_by_someone_else_is_ignored() {
        let doc: KeyDocument = serde_json::from_value(json!({
            "id": "https://d.example/actor",
            "publicKey": {"id": "https://d.example/actor#main-key", "owner": "https://evil.example/", "publicKeyPem": "PEM"}
        }))
        .unwrap();
        assert!(doc
            .key_for(&url("https://d.example/actor#main-key"))
            .is_none());
    }

    #[test]
    fn iri_or_object_both_shapes() {
        let iri: IriOrObject<PublicKey> =
            serde_json::from_value(json!("https://a.example/k")).unwrap();
        assert_eq!(iri.id(), Some(&url("https://a.example/k")));
        assert!(iri.as_object().is_none());
        assert_eq!(
            serde_json::to_value(&iri).unwrap(),
            json!("https://a.example/k")
        );

        let doc = json!({"id": "https://a.example/k", "owner": "https://a.example/", "publicKeyPem": "PEM"});
        let obj: IriOrObject<PublicKey> = serde_json::from_value(doc.clone()).unwrap();
        assert_eq!(obj.id(), Some(&url("https://a.example/k")));
        assert_eq!(
            obj.as_object().map(|k| k.public_key_pem.as_str()),
            Some("PEM")
        );
        assert!(obj.as_iri().is_none());
        assert_eq!(serde_json::to_value(&obj).unwrap(), doc);
    }

    #[test]
    fn iri_or_object_rejects_other_shapes() {
        assert!(serde_json::from_value::<IriOrObject<PublicKey>>(json!("not an iri")).is_err());
        assert!(serde_json::from_value::<IriOrObject<PublicKey>>(json!(42)).is_err());
        assert!(serde_json::from_value::<IriOrObject<PublicKey>>(json!({"id": "x"})).is_err());
    }
}
