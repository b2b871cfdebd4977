//! The Repository actor: a git repository with its own tree (`repository/<id>`), key, inbox and outbox. Pushes run while it holds its mailbox.

use crate::core::ActorCore;
use crate::error::Result;
use crate::kind::ActorKind;
use crate::messages::Resource;
use actix::prelude::*;

/// A local Repository.
pub struct Repository {
    pub core: ActorCore,
}

impl Actor for Repository {
    type Context = Context<Self>;
}

impl Resource for Repository {
    const KIND: ActorKind = ActorKind::Repository;

    const ACCEPTS: &'static [&'static str] = &["Follow", "Undo", "Invite", "Accept", "Remove"];

    fn activate(core: ActorCore) -> Result<Self> {
        Ok(Repository { core })
    }

    fn core(&self) -> &ActorCore {
        &self.core
    }

    fn core_mut(&mut self) -> &mut ActorCore {
        &mut self.core
    }
}

crate::common_handlers!(Repository);
