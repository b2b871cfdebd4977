//! `orchard admin ...` as an operator runs it: the real binary against real instances, through
//! the running server's admin socket and on a stopped instance's data directory, each command's
//! effect checked over HTTP; and what the admin socket refuses (oversized and malformed
//! requests, other users, too many connections), a stale socket replaced at start, a server
//! whose socket does not answer.

mod accounts;
mod blocks;
#[path = "../common/mod.rs"]
mod common;
mod delivery;
mod run;
mod socket;
