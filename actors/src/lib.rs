//! Orchard's domain: one actix actor per ForgeFed actor type (Person, Factory, Repository,
//! TicketTracker, Project), the registry that activates and passivates them, accounts, keys and
//! storage (a narrow trait, over sled). Nothing here knows about HTTP or SSH: transports are injected.

pub mod accounts;
pub mod activities;
pub mod audience;
pub mod bodies;
pub mod collections;
pub mod core;
pub mod creation;
pub mod error;
pub mod factory;
pub mod git;
pub mod git_io;
pub mod git_process;
pub mod ids;
pub mod inbox;
pub mod integrity;
pub mod keys;
pub mod kind;
pub mod messages;
pub mod ocap;
pub mod outbound;
pub mod outbox_index;
pub mod paging;
pub mod password;
pub mod person;
pub mod project;
pub mod publish;
pub mod push;
pub mod registry;
pub mod remote_ssh_keys;
pub mod repository;
pub mod ssh_keys;
pub mod storage;
pub mod ticket_tracker;
pub mod tokens;
pub mod urls;

#[cfg(test)]
mod handler_tests;
#[cfg(test)]
pub mod testing;

pub use accounts::Accounts;
pub use error::ActorError;
pub use keys::KeyPair;
pub use kind::{ActorKind, ActorRef};
pub use registry::Registry;
pub use storage::store::Store;
pub use urls::Urls;
