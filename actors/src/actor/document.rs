//! The actor document every local actor serves: `@context`, type, id, inbox, outbox,
//! followers, following, names, public key, shared inbox; kinds add their own fields.

use crate::actor::record::context_of;
use crate::actor::state::ActorCore;
use crate::base::kind::ActorKind;

impl ActorCore {
    /// The actor document: `@context`, type, id, inbox, outbox, followers, following, names and
    /// the public key. Actor types add their own fields to it.
    pub fn document(&self) -> schema::Actor {
        let id = self.iri();
        let public_key = schema::PublicKey {
            id: self.env.urls.key_id(&self.r),
            owner: id.clone(),
            public_key_pem: self.keys.public_pem.clone(),
        };
        let mut doc = schema::Actor::new(
            id,
            self.record.kind.clone(),
            self.env
                .urls
                .collection(&self.r, crate::urls::Collection::Inbox),
        );
        doc.context = Some(schema::context::default_context());
        doc.outbox = Some(
            self.env
                .urls
                .collection(&self.r, crate::urls::Collection::Outbox),
        );
        doc.followers = Some(
            self.env
                .urls
                .collection(&self.r, crate::urls::Collection::Followers),
        );
        doc.following = Some(
            self.env
                .urls
                .collection(&self.r, crate::urls::Collection::Following),
        );
        doc.preferred_username = Some(self.r.id.clone());
        doc.name = Some(
            self.record
                .name
                .clone()
                .unwrap_or_else(|| self.r.id.clone()),
        );
        doc.summary = self.record.summary.clone();
        doc.public_key = Some(schema::OneOrMany::One(schema::IriOrObject::Object(
            Box::new(public_key),
        )));
        doc.endpoints = Some(schema::Endpoints {
            shared_inbox: Some(self.env.urls.shared_inbox()),
            extra: Default::default(),
        });
        doc.published = Some(self.record.created.clone());
        if matches!(self.r.kind, ActorKind::Repository | ActorKind::Project) {
            doc.likes = Some(
                self.env
                    .urls
                    .collection(&self.r, crate::urls::Collection::Likes),
            );
        }
        if let Some(projects) = context_of(&self.record) {
            doc.extra.insert("context".into(), projects);
        }
        doc
    }
}
