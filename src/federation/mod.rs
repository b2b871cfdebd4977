//! Federation: HTTP signatures, fetching remote documents and keys, the signed inbox pipeline
//! the persistent delivery worker, shared-inbox routing and verifying signed GETs.

pub mod blocks;
pub mod delivery;
pub mod failures;
pub mod fetch;
pub mod inbox;
pub mod keys;
pub mod origin;
pub mod ratelimit;
pub mod remote;
pub mod routing;
pub mod signature;
pub mod signed_get;
pub mod verify_key;
