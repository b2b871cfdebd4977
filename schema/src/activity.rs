// SPDX-License-Identifier: AGPL-3.0-or-later
//! Activities (Create, Follow, Accept, Reject, Undo, Like, Offer, Grant, Invite, Join, Remove,
//! Revoke, Edit, Push, Apply, Resolve, Add, Delete, Update, Announce...): one struct for all.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

use crate::context::is_public;
use crate::object::Object;
use crate::one_or_many::OneOrMany;
use crate::reference::{HasId, IriOrObject, ObjectRef};
use crate::role::Role;

/// Any activity. `id` and `@context` are optional (Forgejo's `Like` has neither); `actor` and
/// `type` are required. Keys not modelled here (`proof`, `name`, `content`...) stay in `extra`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    /// The JSON-LD `@context`.
    #[serde(rename = "@context", default, skip_serializing_if = "Option::is_none")]
    pub context_ld: Option<Value>,
    /// The activity's IRI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Url>,
    /// The activity type, e.g. `"Grant"`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Who performs the activity.
    pub actor: IriOrObject<Object>,
    /// The object: an IRI, an embedded object (a Note, a Ticket, an activity being undone...),
    /// or a term (`Grant`'s role, e.g. `"admin"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectRef>,
    /// The target (the grantee of a Grant, the branch of a Push, the resource of an Invite).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<ObjectRef>,
    /// The origin (the resource of a Remove or a Delete).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<ObjectRef>,
    /// The instrument (the role of an Invite or a Join).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instrument: Option<ObjectRef>,
    /// The result (the ticket created by accepting an Offer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<ObjectRef>,
    /// The ActivityStreams `context` (the resource a Grant is about), not `@context`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<ObjectRef>,
    /// Primary audience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<OneOrMany<Url>>,
    /// Secondary audience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cc: Option<OneOrMany<Url>>,
    /// Hidden primary audience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bto: Option<OneOrMany<Url>>,
    /// Hidden secondary audience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bcc: Option<OneOrMany<Url>>,
    /// Audience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<OneOrMany<Url>>,
    /// The Grant this activity invokes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capability: Option<Url>,
    /// The activity (or activities) this one fulfills, e.g. the Create a Grant answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fulfills: Option<OneOrMany<Url>>,
    /// What a Grant allows: `"invoke"`, `"gatherAndConvey"`, `"distribute"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allows: Option<String>,
    /// Start of validity (xsd:dateTime); Forgejo's Like carries it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// End of validity (xsd:dateTime), e.g. a Grant's expiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// Publication time (xsd:dateTime).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// A human-readable summary (HTML).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// On whose behalf (a Push's pusher).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<OneOrMany<IriOrObject<Object>>>,
    /// Push: the branch tip before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash_before: Option<String>,
    /// Push: the branch tip after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash_after: Option<String>,
    /// Every other key of the document.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Activity {
    /// An activity with only `type` and `actor` set.
    pub fn new(kind: impl Into<String>, actor: Url) -> Self {
        Activity {
            context_ld: None,
            id: None,
            kind: kind.into(),
            actor: IriOrObject::Iri(actor),
            object: None,
            target: None,
            origin: None,
            instrument: None,
            result: None,
            context: None,
            to: None,
            cc: None,
            bto: None,
            bcc: None,
            audience: None,
            capability: None,
            fulfills: None,
            allows: None,
            start_time: None,
            end_time: None,
            published: None,
            summary: None,
            attributed_to: None,
            hash_before: None,
            hash_after: None,
            extra: Map::new(),
        }
    }

    /// The actor's IRI (or the embedded actor's id).
    pub fn actor_id(&self) -> Option<&Url> {
        self.actor.id()
    }

    /// The object's IRI (or the embedded object's id); `None` for a term.
    pub fn object_id(&self) -> Option<&Url> {
        self.object.as_ref()?.id()
    }

    /// The target's IRI (or the embedded target's id).
    pub fn target_id(&self) -> Option<&Url> {
        self.target.as_ref()?.id()
    }

    /// The origin's IRI (or the embedded origin's id).
    pub fn origin_id(&self) -> Option<&Url> {
        self.origin.as_ref()?.id()
    }

    /// The IRI of the ActivityStreams `context`.
    pub fn context_id(&self) -> Option<&Url> {
        self.context.as_ref()?.id()
    }

    /// The first `attributedTo` IRI (or embedded id).
    pub fn attributed_to_id(&self) -> Option<&Url> {
        self.attributed_to.as_ref()?.first()?.id()
    }

    /// The embedded object deserialized as `T` (e.g. the `Follow` inside an `Undo`, the
    /// `OrderedCollection` of a `Push`); `None` for an IRI, a term or a misfit.
    pub fn object_as<T: DeserializeOwned>(&self) -> Option<T> {
        self.object.as_ref()?.object_as()
    }

    /// The role in `object` (a `Grant`'s role).
    pub fn object_role(&self) -> Option<Role> {
        self.object.as_ref()?.role()
    }

    /// The role in `instrument` (an `Invite`'s or `Join`'s role).
    pub fn instrument_role(&self) -> Option<Role> {
        self.instrument.as_ref()?.role()
    }

    /// Every addressee in `to`, `cc`, `bto`, `bcc` and `audience`, in that order, duplicates kept.
    pub fn recipients(&self) -> Vec<&Url> {
        [&self.to, &self.cc, &self.bto, &self.bcc, &self.audience]
            .into_iter()
            .flatten()
            .flat_map(|list| list.iter())
            .collect()
    }

    /// Whether the activity is addressed to the public collection.
    pub fn is_public(&self) -> bool {
        self.recipients().into_iter().any(is_public)
    }
}

impl HasId for Activity {
    fn id(&self) -> Option<&Url> {
        self.id.as_ref()
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
    fn forgejo_like_without_id_or_context() {
        let doc = json!({
            "type": "Like",
            "startTime": "2024-03-07T00:00:00Z",
            "actor": "https://repo.prod.meissa.de/api/v1/activitypub/user-id/1",
            "object": "https://codeberg.org/api/v1/activitypub/repository-id/1"
        });
        let like: Activity = serde_json::from_value(doc.clone()).unwrap();
        assert_eq!(like.kind, "Like");
        assert!(like.id.is_none());
        assert!(like.context_ld.is_none());
        assert_eq!(like.start_time.as_deref(), Some("2024-03-07T00:00:00Z"));
        assert_eq!(
            like.actor_id(),
            Some(&url(
                "https://repo.prod.meissa.de/api/v1/activitypub/user-id/1"
            ))
        );
        assert_eq!(
            like.object_id(),
            Some(&url(
                "https://codeberg.org/api/v1/activitypub/repository-id/1"
            ))
        );
        assert_eq!(serde_json::to_value(&like).unwrap(), doc);
    }

    #[test]
    fn undo_embeds_activity() {
        let undo: Activity = serde_json::from_value(json!({
            "type": "Undo",
            "actor": "https://a.example/u/1",
            "object": {"type": "Follow", "actor": "https://a.example/u/1", "object": "https://b.example/u/2"}
        }))
        .unwrap();
        assert_eq!(undo.object_id(), None);
        let follow: Activity = undo.object_as().unwrap();
        assert_eq!(follow.kind, "Follow");
        assert_eq!(follow.object_id(), Some(&url("https://b.example/u/2")));
    }

    #[test]
    fn grant_roles_and_recipients() {
        let mut grant = Activity::new("Grant", url("https://r.example/repo"));
        grant.object = Some(Role::Admin.into());
        grant.to = Some(OneOrMany::Many(vec![url("https://p.example/a")]));
        grant.cc = Some(url(crate::context::PUBLIC).into());
        grant.bcc = Some(url("https://p.example/b").into());
        assert_eq!(grant.object_role(), Some(Role::Admin));
        assert_eq!(grant.object_id(), None);
        assert_eq!(grant.recipients().len(), 3);
        assert!(grant.is_public());
        let v = serde_json::to_value(&grant).unwrap();
        assert_eq!(v["object"], json!("admin"));
        assert_eq!(v["cc"], json!(crate::context::PUBLIC));
        assert!(v.get("id").is_none());
    }

    #[test]
    fn actor_is_required() {
        assert!(serde_json::from_value::<Activity>(
            json!({"type": "Like", "object": "https://x.example/"})
        )
        .is_err());
        assert!(
            serde_json::from_value::<Activity>(json!({"actor": "https://x.example/"})).is_err()
        );
    }
}
