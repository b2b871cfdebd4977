//! Passivating an active actor through the registry's type-erased address of it (the registry
//! keeps one `Addr<A>` per actor as `dyn Any`): the kind says which `A` to downcast to.

use crate::base::kind::ActorKind;
use crate::kinds::{factory, patch_tracker, person, project, repository, ticket_tracker};
use crate::runtime::messages::Passivate;
use crate::runtime::resource::Resource;
use actix::Addr;
use std::any::Any;

/// Sends Passivate through a type-erased address; false when the type did not match.
pub fn send_passivate(kind: ActorKind, addr: &(dyn Any + Send)) -> bool {
    fn try_send<A: Resource>(addr: &(dyn Any + Send)) -> bool {
        match addr.downcast_ref::<Addr<A>>() {
            Some(a) => {
                a.do_send(Passivate);
                true
            }
            None => false,
        }
    }
    match kind {
        ActorKind::Person => try_send::<person::Person>(addr),
        ActorKind::Factory => try_send::<factory::Factory>(addr),
        ActorKind::Repository => try_send::<repository::Repository>(addr),
        ActorKind::TicketTracker => try_send::<ticket_tracker::TicketTracker>(addr),
        ActorKind::PatchTracker => try_send::<patch_tracker::PatchTracker>(addr),
        ActorKind::Project => try_send::<project::Project>(addr),
    }
}
