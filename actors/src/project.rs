//! The Project actor: a collection of components (repositories, trackers), with its own tree (`project/<id>`), key, inbox and outbox.

use crate::core::ActorCore;
use crate::error::Result;
use crate::kind::ActorKind;
use crate::messages::Resource;
use actix::prelude::*;

/// A local Project.
pub struct Project {
    pub core: ActorCore,
}

impl Actor for Project {
    type Context = Context<Self>;
}

impl Resource for Project {
    const KIND: ActorKind = ActorKind::Project;

    const ACCEPTS: &'static [&'static str] = &[
        "Follow", "Undo", "Invite", "Accept", "Remove", "Like", "Add",
    ];

    fn activate(core: ActorCore) -> Result<Self> {
        Ok(Project { core })
    }

    fn core(&self) -> &ActorCore {
        &self.core
    }

    fn core_mut(&mut self) -> &mut ActorCore {
        &mut self.core
    }
}

crate::common_handlers!(Project);
