//! The static assets of the web pages, compiled in (`include_str!`): `GET /static/orchard.css`
//! and `GET /static/orchard.js`, with a long cache lifetime.

use actix_web::http::header::{CACHE_CONTROL, X_CONTENT_TYPE_OPTIONS};
use actix_web::{web, HttpResponse};

const CSS: &str = include_str!("../../static/orchard.css");
const JS: &str = include_str!("../../static/orchard.js");
/// A week: the assets change only with a new release.
const CACHE: &str = "public, max-age=604800";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/static/orchard.css", web::get().to(css))
        .route("/static/orchard.js", web::get().to(js));
}

fn asset(content_type: &str, body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((CACHE_CONTROL, CACHE))
        .insert_header((X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(body)
}

async fn css() -> HttpResponse {
    asset("text/css; charset=utf-8", CSS)
}

async fn js() -> HttpResponse {
    asset("text/javascript; charset=utf-8", JS)
}
