//! The answer for a request no route matched: a JSON 404.

use crate::error::json_error;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};

/// The answer for anything no route matched.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    json_error(
        StatusCode::NOT_FOUND,
        &format!("no such resource: {}", req.path()),
    )
}
