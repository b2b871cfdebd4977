//! The actor layer, above `storage`: what every local actor is, whatever its kind: its record,
//! its loaded state (`ActorCore`), its actor document, its inbox state, the ids of what it
//! emits and the git-job channel it may submit to (with the store of its jobs). Knows nothing of the kinds, the registry or
//! the activities.

pub mod document;
pub mod env;
pub mod git_job_store;
pub mod git_job_types;
pub mod git_jobs;
pub mod ids;
pub mod inbox_counters;
pub mod inbox_progress;
pub mod inbox_staging;
pub mod record;
pub mod state;
