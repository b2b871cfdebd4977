//! Route registration of the web pages; `http::routes` calls [`configure`] before every other
//! route, so a page's path wins over the JSON routes' catch-all patterns.

use super::{assets, front, repo};
use actix_web::web;

/// Registers the web pages' routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    assets::configure(cfg);
    front::configure(cfg);
    repo::configure(cfg);
}
