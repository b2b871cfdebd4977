//! The HTTP layer (actix-web): the routes (`routes`), the state every handler reaches
//! (`state`), JSON errors of actix-web's own extractors (`extractors`) and content negotiation for
//! ActivityPub documents (`activity_json`). Handlers translate requests into actor messages and
//! answers into responses; the domain lives in the `actors` crate.

pub mod account_limits;
pub mod accounts;
pub mod activity_json;
pub mod actor_documents;
pub mod admin;
pub mod admin_accounts;
pub mod admin_tombstones;
pub mod answer_cache;
pub mod auth;
pub mod body_deadline;
pub mod browse;
pub mod browse_raw;
pub mod commits;
pub mod compare;
pub mod error_box;
pub mod extractors;
pub mod git;
pub mod git_stream;
pub mod health;
pub mod inbox;
pub mod instance_collections;
pub mod known_addresses;
pub mod listings;
pub mod metrics;
pub mod not_found;
pub mod outbox;
pub mod reader;
pub mod repo_access;
pub mod repo_reads;
pub mod reviews;
pub mod routes;
pub mod ssh_key_documents;
pub mod ssh_keys;
pub mod state;
pub mod tickets;
pub mod tokens;
pub mod tombstones;
pub mod visibility;
pub mod wellknown;
pub mod write_guard;

pub use activity_json::activity_json;
pub use extractors::API_BODY_LIMIT;
pub use not_found::not_found;
pub use routes::configure;
pub use state::AppState;
