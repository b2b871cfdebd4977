//! Orchard's domain: one actix actor per ForgeFed actor type (Person, Factory, Repository,
//! TicketTracker, Project), the registry that activates and passivates them, accounts, keys and
//! storage behind a narrow trait (sled and in-memory engines). Nothing here knows about HTTP or
//! SSH: transports are injected. ARCHITECTURE.md (at the repository's root) is the map.
//!
//! The crate is layered; a file imports only from its own layer or the layers below it, and no
//! import circle joins two files (both checked by `tests/architecture`). Bottom to top:
//!
//! - `base`: errors, kinds, keys, passwords, clock, hex, helpers over activity JSON; `urls`.
//! - `storage`: the storage trait and engines, the store, actor keyspaces, the group commit,
//!   every key prefix (`storage::layout`), sizes, bodies, the delivery queue, the integrity
//!   marker; `git`, `git_io`, `git_process`, `git_fetch`, `git_documents` beside it.
//! - `actor`: the record, loaded state, document and inbox state every actor has.
//! - `data`: each domain's storage (followers, grants, stars, components, tickets, accounts...).
//! - `publish`: the outbox and the delivery job of what an actor publishes; who may read it;
//!   Rejects.
//! - `grants`: issuing Grants and the pure capability check.
//! - `activities`: one handler per received activity, and the sender's side of C2S posts.
//! - `runtime`: messages, processing inbox items, C2S, collections, the `Resource` trait.
//! - `kinds`: the actor types, creating resources, Push activities.
//! - `registry` (and `passivate`): activating and passivating actors.
//! - `flows`: what takes several actors, through the registry (C2S posts, shared-inbox
//!   routing, stars federated to remote repositories).
//!
//! The `pub use` lines below are the crate's public surface for other crates; files of this
//! crate name items by their real path, never through these.

pub mod browse;
pub mod git;
pub mod git_documents;
pub mod git_fetch;
pub mod git_io;
pub mod git_process;
pub mod urls;

pub mod base;
pub mod storage;

pub mod actor;
pub mod data;
pub mod publish;

pub mod grants;

pub mod activities;
pub mod collections;
#[macro_use]
pub mod runtime;

pub mod kinds;
pub mod passivate;
pub mod registry;

pub mod flows;

#[cfg(test)]
mod fork_tests;
#[cfg(test)]
mod handler_tests;
#[cfg(test)]
mod merge_request_tests;
#[cfg(test)]
mod merge_tests;
#[cfg(test)]
mod review_handler_tests;
#[cfg(test)]
pub mod testing;
#[cfg(test)]
mod ticket_list_tests;

pub use base::error::ActorError;
pub use base::keys::KeyPair;
pub use base::kind::{ActorKind, ActorRef};
pub use data::accounts::Accounts;
pub use registry::Registry;
pub use storage::store::Store;
pub use urls::Urls;

pub use base::{error, kind};
pub use data::{accounts, remote_ssh_keys, ssh_keys, tokens};
pub use kinds::{creation, factory, patch_tracker, person, project, repository, ticket_tracker};
pub use publish::audience;
pub use runtime::messages;
pub use storage::bodies;
