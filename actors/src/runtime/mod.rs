//! The runtime layer, above `activities`: the messages every actor answers (`messages`), the
//! processing of stored inbox items (`processing`), C2S posts to an outbox (`c2s`), and the
//! `Resource` trait with the handlers every kind shares (`resource`). The collections served by
//! every actor are the crate-root `collections` file, of the same layer.

pub mod c2s;
pub mod dispatch;
#[macro_use]
pub mod handlers;
pub mod messages;
pub mod processing;
pub mod resource;

#[cfg(test)]
mod reading_tests;
