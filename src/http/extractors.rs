//! How actix-web's own extractors fail: the JSON body limit of the account API
//! (`API_BODY_LIMIT`) and JSON error bodies for bad JSON, queries and paths.

use crate::error::json_error;
use actix_web::http::StatusCode;
use actix_web::web;

/// Largest JSON body accepted by the account API.
pub const API_BODY_LIMIT: usize = 64 * 1024;

/// JSON, query and path extractors that answer their errors as JSON (413, 415, 400, 404).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::JsonConfig::default()
            .limit(API_BODY_LIMIT)
            .error_handler(|err, _req| {
                let status = match &err {
                    actix_web::error::JsonPayloadError::OverflowKnownLength { .. }
                    | actix_web::error::JsonPayloadError::Overflow { .. } => {
                        StatusCode::PAYLOAD_TOO_LARGE
                    }
                    actix_web::error::JsonPayloadError::ContentType => {
                        StatusCode::UNSUPPORTED_MEDIA_TYPE
                    }
                    _ => StatusCode::BAD_REQUEST,
                };
                let message = format!("invalid JSON body: {err}");
                actix_web::error::InternalError::from_response(err, json_error(status, &message))
                    .into()
            }),
    )
    .app_data(web::QueryConfig::default().error_handler(|err, _req| {
        let message = format!("invalid query: {err}");
        actix_web::error::InternalError::from_response(
            err,
            json_error(StatusCode::BAD_REQUEST, &message),
        )
        .into()
    }))
    .app_data(web::PathConfig::default().error_handler(|err, _req| {
        let message = format!("invalid path: {err}");
        actix_web::error::InternalError::from_response(
            err,
            json_error(StatusCode::NOT_FOUND, &message),
        )
        .into()
    }));
}
