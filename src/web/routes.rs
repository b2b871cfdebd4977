//! Route registration of the web pages; `http::routes` calls [`configure`] before every other
//! route, so a page's path wins over the JSON routes' catch-all patterns.

use super::{account_pages, admin, assets, dashboard, front, repo, settings};
use actix_web::web;

/// Registers the web pages' routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    assets::configure(cfg);
    front::configure(cfg);
    account_pages::configure(cfg);
    dashboard::configure(cfg);
    settings::configure(cfg);
    admin::configure(cfg);
    super::error_box::configure(cfg);
    repo::configure(cfg);
    super::ticket_forms::configure(cfg);
    super::mr_forms::configure(cfg);
    super::project::configure(cfg);
    super::create_forms::configure(cfg);
    super::lookup::configure(cfg);
    super::lookup_forms::configure(cfg);
    super::fork_forms::configure(cfg);
    super::mr_open::configure(cfg);
}
