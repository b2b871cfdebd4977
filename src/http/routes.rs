//! Route registration: every HTTP route of the instance, by the module that serves it.

use super::{
    accounts, actor_documents, admin, commits, extractors, git, inbox, instance_collections,
    listings, outbox, ssh_key_documents, ssh_keys, tickets, tokens, wellknown,
};
use actix_web::web;

/// Registers every route on the app.
pub fn configure(cfg: &mut web::ServiceConfig) {
    extractors::configure(cfg);
    accounts::configure(cfg);
    tokens::configure(cfg);
    admin::configure(cfg);
    listings::configure(cfg);
    ssh_keys::configure(cfg);
    wellknown::configure(cfg);
    git::configure(cfg);
    inbox::configure(cfg);
    tickets::configure(cfg);
    commits::configure(cfg);
    ssh_key_documents::configure(cfg);
    instance_collections::configure(cfg);
    actor_documents::configure(cfg);
    outbox::configure(cfg);
}
