//! The runtime layer, above `activities`: the messages every actor answers (`messages`), the
//! `Resource` trait (`resource`) and the handlers every kind shares (`handlers`,
//! `common_handlers!`), processing stored inbox items (`processing`: parsed once at the door,
//! `accepted`, then handed to the kind; what it refused goes to the error box, `refused`), the
//! handlers chosen by stored state (`dispatch`), and
//! C2S posts to an outbox (`c2s`). The collections every actor serves are the crate-root
//! `collections` file, of the same layer.

pub mod accepted;
pub mod c2s;
pub mod dispatch;
#[macro_use]
pub mod handlers;
pub mod messages;
pub mod processing;
pub mod refused;
pub mod resource;

#[cfg(test)]
mod reading_tests;
