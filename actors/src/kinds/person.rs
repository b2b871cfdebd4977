//! The Person actor: a local account's actor, with its own tree (`person/<username>`), key,
//! inbox and outbox.

use crate::activities::{accept, follow, grant, invite, reject, revoke};
use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::base::kind::{ActorKind, ActorRef};
use crate::data::ssh_keys::SshKeyRecord;
use crate::kinds::accepted::PersonActivity;
use crate::runtime::dispatch;
use crate::runtime::resource::Resource;
use crate::urls::Urls;
use actix::prelude::*;
use serde_json::Value;

/// A local person.
pub struct Person {
    pub core: ActorCore,
}

impl Actor for Person {
    type Context = Context<Self>;
}

impl Resource for Person {
    const KIND: ActorKind = ActorKind::Person;

    type Accepted = PersonActivity;

    core_accessors!();

    /// The person document also lists their SSH public keys (ForgeFed `sshKey`), so instances
    /// where they hold Grants let them push and clone over SSH.
    fn document(&self) -> schema::Actor {
        let mut doc = self.core.document();
        let keys = crate::data::ssh_keys::SshKeys::new(self.core.env.store.clone())
            .list(&self.core.r.id)
            .unwrap_or_default();
        if !keys.is_empty() {
            let items: Vec<serde_json::Value> = keys
                .iter()
                .filter_map(|k| ssh_key_object(&self.core.env.urls, &self.core.r, k))
                .collect();
            doc.extra
                .insert("sshKey".into(), serde_json::Value::Array(items));
        }
        doc
    }

    fn handle_activity(
        &mut self,
        activity: PersonActivity,
        raw: &Value,
        _ctx: &mut Context<Self>,
    ) -> Result<()> {
        let core = &mut self.core;
        match activity {
            PersonActivity::Follow(a) => follow::received(core, &a, raw),
            PersonActivity::Accept(a) => accept::received(core, &a),
            PersonActivity::Reject(a) => reject::received(core, &a),
            PersonActivity::Undo(a) => dispatch::undo(core, &a, raw),
            PersonActivity::Invite(a) => invite::invited(core, &a),
            PersonActivity::Grant(a) => grant::received(core, &a, raw),
            PersonActivity::Revoke(a) => revoke::received(core, &a, raw),
        }
    }
}

/// One of a person's SSH keys as ForgeFed `SshPublicKey`, as their document lists it and its IRI
/// serves it. None when the stored key text has no `<type> <content>` shape.
pub fn ssh_key_object(
    urls: &Urls,
    person: &ActorRef,
    k: &SshKeyRecord,
) -> Option<serde_json::Value> {
    let (kind, content) = k.key.split_once(' ')?;
    Some(serde_json::json!({
        "id": urls.ssh_key(person, &k.fingerprint),
        "type": "SshPublicKey",
        "owner": urls.actor(person),
        "sshKeyType": kind,
        "content": content,
    }))
}

common_handlers!(Person);
