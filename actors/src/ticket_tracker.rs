//! The TicketTracker actor: an issue tracker with its own tree (`tickettracker/<id>`), key, inbox and outbox.

use crate::core::ActorCore;
use crate::error::Result;
use crate::kind::ActorKind;
use crate::messages::Resource;
use actix::prelude::*;

/// A local TicketTracker.
pub struct TicketTracker {
    pub core: ActorCore,
}

impl Actor for TicketTracker {
    type Context = Context<Self>;
}

impl Resource for TicketTracker {
    const KIND: ActorKind = ActorKind::TicketTracker;

    const ACCEPTS: &'static [&'static str] = &[
        "Follow", "Undo", "Invite", "Accept", "Remove", "Add", "Offer", "Create", "Resolve",
    ];

    fn activate(core: ActorCore) -> Result<Self> {
        Ok(TicketTracker { core })
    }

    fn core(&self) -> &ActorCore {
        &self.core
    }

    fn core_mut(&mut self) -> &mut ActorCore {
        &mut self.core
    }
}

crate::common_handlers!(TicketTracker);
