//! The Person actor: a local account's actor, with its own tree (`person/<username>`), key,
//! inbox and outbox.

use crate::core::ActorCore;
use crate::error::Result;
use crate::kind::ActorKind;
use crate::messages::Resource;
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
}

crate::common_handlers!(Person);
