//! `GET /healthz` (the process serves HTTP: always 200 `{"status":"ok"}`) and `GET /readyz`
//! (200 `{"status":"ok"}` when the store answers a read and the SSH server listens; else 503
//! `{"status":"unavailable","reason":"..."}`), for service managers, load balancers and
//! monitoring. Neither needs credentials nor says more than that.

use super::state::AppState;
use actix_web::http::header;
use actix_web::{web, HttpResponse};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz))
        .route("/readyz", web::get().to(readyz));
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(serde_json::json!({ "status": "ok" }))
}

async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let probes = state.probes.clone();
    let ready = match web::block(move || probes.ready()).await {
        Ok(r) => r,
        Err(e) => Err(format!("the readiness check failed: {e}")),
    };
    match ready {
        Ok(()) => healthz().await,
        Err(reason) => {
            tracing::warn!(%reason, "not ready");
            HttpResponse::ServiceUnavailable()
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .insert_header((header::RETRY_AFTER, crate::error::TRY_AGAIN_SECS))
                .json(serde_json::json!({ "status": "unavailable", "reason": reason }))
        }
    }
}
