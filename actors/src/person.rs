//! The Person actor: a local account's actor, with its own tree (`person/<username>`), key,
//! inbox and outbox.

use crate::core::ActorCore;
use crate::error::Result;
use crate::kind::{ActorKind, ActorRef};
use crate::messages::Resource;
use crate::ssh_keys::SshKeyRecord;
use crate::urls::Urls;
use actix::prelude::*;

/// A local person.
pub struct Person {
    pub core: ActorCore,
}

impl Actor for Person {
    type Context = Context<Self>;
}

impl Resource for Person {
    const KIND: ActorKind = ActorKind::Person;

    const ACCEPTS: &'static [&'static str] = &[
        "Follow", "Accept", "Reject", "Undo", "Invite", "Grant", "Revoke",
    ];

    fn activate(core: ActorCore) -> Result<Self> {
        Ok(Person { core })
    }

    fn core(&self) -> &ActorCore {
        &self.core
    }

    fn core_mut(&mut self) -> &mut ActorCore {
        &mut self.core
    }

    /// The person document also lists their SSH public keys (ForgeFed `sshKey`), so instances
    /// where they hold Grants let them push and clone over SSH.
    fn document(&self) -> schema::Actor {
        let mut doc = self.core.document();
        let keys = crate::ssh_keys::SshKeys::new(self.core.store.clone())
            .list(&self.core.r.id)
            .unwrap_or_default();
        if !keys.is_empty() {
            let items: Vec<serde_json::Value> = keys
                .iter()
                .filter_map(|k| ssh_key_object(&self.core.urls, &self.core.r, k))
                .collect();
            doc.extra
                .insert("sshKey".into(), serde_json::Value::Array(items));
        }
        doc
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

crate::common_handlers!(Person);
