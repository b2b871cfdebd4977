//! The activities layer, above `grants`: one handler per received activity type (one file
//! each; each kind dispatches its accepted activities to them, see `kinds::accepted`), plus the
//! sender's own side of what its owner posts to its outbox (`outbox_post`). The same handlers
//! serve activities from remote inboxes and from local actors.

pub mod accept;
pub mod components;
pub mod consent;
pub mod edit;
pub mod follow;
pub mod forks;
pub mod grant;
pub mod invite;
pub mod leave;
pub mod merge_requests;
pub mod outbox_post;
pub mod reject;
pub mod remove;
pub mod revoke;
pub mod stars;
pub mod tickets;
pub mod undo;
