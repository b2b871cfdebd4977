//! A Factory actor: creates Repository, TicketTracker and Project actors for people holding a Grant on it. Tree `factory/<id>`.

use crate::core::ActorCore;
use crate::error::Result;
use crate::kind::ActorKind;
use crate::messages::Resource;
use actix::prelude::*;

/// A local Factory.
pub struct Factory {
    pub core: ActorCore,
}

impl Actor for Factory {
    type Context = Context<Self>;
}

impl Resource for Factory {
    const KIND: ActorKind = ActorKind::Factory;

    const ACCEPTS: &'static [&'static str] = &["Follow", "Undo"];

    fn activate(core: ActorCore) -> Result<Self> {
        Ok(Factory { core })
    }

    fn core(&self) -> &ActorCore {
        &self.core
    }

    fn core_mut(&mut self) -> &mut ActorCore {
        &mut self.core
    }
}

crate::common_handlers!(Factory);
