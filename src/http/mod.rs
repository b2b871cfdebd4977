//! The HTTP layer: shared state, route registration, JSON error handling for actix-web's own
//! extractors, and content negotiation for ActivityPub documents.

pub mod account_limits;
pub mod accounts;
pub mod actors;
pub mod admin;
pub mod auth;
pub mod body_deadline;
pub mod client_addr;
pub mod commits;
pub mod factories;
pub mod git;
pub mod git_stream;
pub mod inbox;
pub mod instance_collections;
pub mod known_addresses;
pub mod outbox;
pub mod ssh_key_documents;
pub mod ssh_keys;
pub mod stars;
pub mod tickets;
pub mod tokens;
pub mod wellknown;
pub mod write_guard;

use crate::error::json_error;
use crate::federation::fetch::Fetcher;
use crate::federation::keys::KeyStore;
use crate::settings::Settings;
use ::actors::{Accounts, KeyPair, Registry, Urls};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use std::sync::Arc;

/// Largest JSON body accepted by the account API.
pub const API_BODY_LIMIT: usize = 64 * 1024;

/// What every handler can reach. Built once at start-up and passed in explicitly.
pub struct AppState {
    pub settings: Arc<Settings>,
    pub urls: Urls,
    pub registry: Registry,
    pub accounts: Accounts,
    pub instance_key: KeyPair,
    pub keys: KeyStore,
    pub fetcher: Arc<Fetcher>,
    pub blocks: crate::federation::blocks::Blocks,
    pub rate_limit: crate::federation::ratelimit::RateLimit,
    pub account_limits: account_limits::AccountLimits,
    /// Slots for smart-HTTP git processes (`[http] max_concurrent_clones`).
    pub clone_slots: git_stream::CloneSlots,
    /// Refuses writes while the storage is almost full (`[storage] min_free_mb`).
    pub disk: crate::disk_guard::DiskGuard,
}

/// Registers every route on the app.
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
    accounts::configure(cfg);
    tokens::configure(cfg);
    admin::configure(cfg);
    ssh_keys::configure(cfg);
    wellknown::configure(cfg);
    git::configure(cfg);
    inbox::configure(cfg);
    tickets::configure(cfg);
    commits::configure(cfg);
    ssh_key_documents::configure(cfg);
    instance_collections::configure(cfg);
    actors::configure(cfg);
    outbox::configure(cfg);
}

/// The answer for anything no route matched.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    json_error(
        StatusCode::NOT_FOUND,
        &format!("no such resource: {}", req.path()),
    )
}

/// An ActivityPub JSON-LD response, in the media type the client asked for.
pub fn activity_json<T: serde::Serialize>(req: &HttpRequest, body: &T) -> HttpResponse {
    let wants_ld = req
        .headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.contains("application/ld+json") && !v.contains("application/activity+json"))
        .unwrap_or(false);
    let content_type = if wants_ld {
        schema::context::LD_JSON_AS
    } else {
        schema::context::ACTIVITY_JSON
    };
    HttpResponse::Ok().content_type(content_type).json(body)
}
