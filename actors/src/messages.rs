//! Messages every actor type handles, and the `Resource` trait that ties an actor type to the
//! registry. Type-specific messages live beside their actor.

use crate::core::ActorCore;
use crate::error::Result;
use crate::kind::ActorKind;
use actix::prelude::*;

/// Asks an actor for its JSON-LD actor document.
#[derive(Message)]
#[rtype(result = "Result<schema::Actor>")]
pub struct GetDocument;

/// Tells an idle actor to stop; the registry sends it and activates a fresh one on next use.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Passivate;

/// Stores an activity in the actor's inbox collection; answers its sequence number.
#[derive(Message)]
#[rtype(result = "Result<u64>")]
pub struct StoreInbox(pub serde_json::Value);

/// An actor type the registry can activate from storage.
pub trait Resource:
    Actor<Context = Context<Self>>
    + Send
    + Handler<GetDocument>
    + Handler<Passivate>
    + Handler<StoreInbox>
{
    /// The kind of actor this type implements.
    const KIND: ActorKind;

    /// Builds the actor from its loaded core.
    fn activate(core: ActorCore) -> Result<Self>;

    /// The loaded core.
    fn core(&self) -> &ActorCore;

    /// The actor document; types with extra fields override this.
    fn document(&self) -> schema::Actor {
        self.core().document()
    }
}

/// Implements the messages every actor type answers in the same way.
#[macro_export]
macro_rules! common_handlers {
    ($ty:ty) => {
        impl ::actix::Handler<$crate::messages::GetDocument> for $ty {
            type Result = $crate::error::Result<::schema::Actor>;
            fn handle(
                &mut self,
                _: $crate::messages::GetDocument,
                _: &mut Self::Context,
            ) -> Self::Result {
                Ok($crate::messages::Resource::document(self))
            }
        }

        impl ::actix::Handler<$crate::messages::Passivate> for $ty {
            type Result = ();
            fn handle(&mut self, _: $crate::messages::Passivate, ctx: &mut Self::Context) {
                ::tracing::debug!(actor = %self.core.r, "passivating idle actor");
                ::actix::ActorContext::stop(ctx);
            }
        }

        impl ::actix::Handler<$crate::messages::StoreInbox> for $ty {
            type Result = $crate::error::Result<u64>;
            fn handle(
                &mut self,
                msg: $crate::messages::StoreInbox,
                _: &mut Self::Context,
            ) -> Self::Result {
                self.core.append_inbox(&msg.0)
            }
        }
    };
}
