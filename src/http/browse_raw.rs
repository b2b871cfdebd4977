//! `GET /api/v1/repos/{id}/raw/{ref}/{path...}`: a file's bytes, never rendered by a browser:
//! text is `text/plain; charset=utf-8`, a few binary media types are named, everything else is
//! `application/octet-stream`; always `X-Content-Type-Options: nosniff` and a sandboxing
//! `Content-Security-Policy`, so an HTML or SVG file in a repository cannot run as this origin.

use super::state::AppState;
use crate::error::Result;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use actors::browse::blob;
use actors::urls::routes;

/// The Content-Security-Policy of every raw answer.
pub const RAW_CSP: &str = "default-src 'none'; sandbox";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(routes::API_REPO_RAW, web::get().to(get_raw));
}

async fn get_raw(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse> {
    let raw = super::browse::read_at_spec(&state, &req, path.into_inner(), blob::raw).await?;
    Ok(HttpResponse::Ok()
        .content_type(raw.content_type)
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CONTENT_SECURITY_POLICY, RAW_CSP))
        .body(raw.bytes))
}
