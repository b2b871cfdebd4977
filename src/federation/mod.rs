//! Federation: HTTP signatures, fetching remote documents and keys, the signed inbox pipeline
//! and the persistent delivery worker.

pub mod blocks;
pub mod delivery;
pub mod failures;
pub mod fetch;
pub mod inbox;
pub mod keys;
pub mod ratelimit;
pub mod remote;
pub mod signature;
