//! The data layer, above `actor`: each domain's storage, read and written through an actor's
//! tree or the instance tree: followers, grants, stars, components, tickets, published
//! activities, accounts (and their suspension), tokens, SSH keys, the error box and the check
//! of every record (`records_check`). Publishes nothing.

pub mod account_record;
pub mod accounts;
pub mod components;
pub mod error_box;
pub mod followers;
pub mod forks;
pub mod grants;
pub mod listings;
pub mod merge_requests;
pub mod mr_jobs;
pub mod notifications;
pub mod published;
pub mod received_grants;
pub mod records_check;
pub mod remote_ssh_keys;
pub mod review_documents;
pub mod reviews;
pub mod ssh_keys;
pub mod stars;
pub mod suspension;
pub mod tickets;
pub mod tokens;
pub mod tombstones;
