//! The base layer: what every other layer may use and which uses nothing of the crate: the
//! error type, actor kinds, key pairs, password hashing, time and hex helpers, and pure helpers
//! over activity JSON (addressing, embedding).

pub mod addressing;
pub mod clock;
pub mod embed;
pub mod error;
pub mod hex;
pub mod keys;
pub mod kind;
pub mod paging;
pub mod password;
