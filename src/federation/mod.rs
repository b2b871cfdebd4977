//! Federation: HTTP signatures, fetching remote documents and keys, the signed inbox pipeline
//! (`admission`, `verified_activity`; what it refuses goes to the error box, `refusals`, and
//! signature failures only to memory, `unverified`), the persistent delivery worker (what it
//! gives up goes to the error box, `delivery_given_up`), the remote followers
//! collections shared-inbox routing reads, verifying signed GETs, finding people by handle
//! (`webfinger`) and looking up what a person pastes (`lookup`: WebFinger, then a signed GET).

pub mod admission;
pub mod block_admin;
pub mod blocks;
pub mod delivery;
pub mod delivery_admin;
pub mod delivery_attempt;
pub mod delivery_given_up;
pub mod delivery_jobs;
pub mod delivery_post;
pub mod derived_id;
pub mod failures;
pub mod fetch;
pub mod keys;
pub mod local_delivery;
pub mod lookup;
pub mod origin;
pub mod ratelimit;
pub mod refusals;
pub mod remote;
pub mod remote_followers;
pub mod signature;
pub mod signature_params;
pub mod signature_verify;
pub mod signed_get;
pub mod state;
pub mod unverified;
pub mod verified_activity;
pub mod verify_key;
pub mod webfinger;
