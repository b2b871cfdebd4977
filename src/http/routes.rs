//! Route registration: every HTTP route of the instance, by the module that serves it.

use super::{
    accounts, actor_documents, admin, browse, browse_raw, commits, compare, extractors, git, inbox,
    instance_collections, listings, outbox, ssh_key_documents, ssh_keys, tickets, tokens,
    wellknown,
};
use actix_web::web;

/// Registers every route on the app.
pub fn configure(cfg: &mut web::ServiceConfig) {
    // The web pages first: their paths win over the JSON routes' patterns.
    crate::web::routes::configure(cfg);
    extractors::configure(cfg);
    accounts::configure(cfg);
    tokens::configure(cfg);
    admin::configure(cfg);
    super::admin_tombstones::configure(cfg);
    super::error_box::configure(cfg);
    super::admin_accounts::configure(cfg);
    listings::configure(cfg);
    ssh_keys::configure(cfg);
    wellknown::configure(cfg);
    git::configure(cfg);
    inbox::configure(cfg);
    tickets::configure(cfg);
    super::reviews::configure(cfg);
    commits::configure(cfg);
    browse::configure(cfg);
    browse_raw::configure(cfg);
    compare::configure(cfg);
    ssh_key_documents::configure(cfg);
    instance_collections::configure(cfg);
    actor_documents::configure(cfg);
    outbox::configure(cfg);
    super::metrics::configure(cfg);
    super::health::configure(cfg);
}
