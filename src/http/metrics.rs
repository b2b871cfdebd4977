//! `GET /metrics`: the instance's metrics in the Prometheus text format, served only with
//! `[metrics] enabled = true` (else 404) and, with `[metrics] token`, only to a request bearing
//! it (`Authorization: Bearer <token>`, compared in constant time; else 401). Also the
//! middleware that counts every request by its matched route pattern and status, and every
//! inbox POST by outcome and refusal reason.

use super::state::AppState;
use crate::error::{json_error, Error};
use crate::metrics::{InboxReason, Metrics};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

/// The path of the metrics.
pub const METRICS: &str = "/metrics";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(METRICS, web::get().to(metrics));
}

async fn metrics(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let settings = &state.settings.metrics;
    if !settings.enabled {
        return super::not_found(req).await;
    }
    if let Some(token) = &settings.token {
        if !bearer_matches(&req, token) {
            let mut res = json_error(
                StatusCode::UNAUTHORIZED,
                "the metrics need Authorization: Bearer with the [metrics] token",
            );
            let challenge = header::HeaderValue::from_static("Bearer realm=\"metrics\"");
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, challenge);
            return res;
        }
    }
    let probes = state.probes.clone();
    let gauges = match web::block(move || probes.gauges()).await {
        Ok(g) => g,
        Err(e) => {
            let failed = Error::Io(std::io::Error::other(e.to_string()));
            return actix_web::ResponseError::error_response(&failed);
        }
    };
    HttpResponse::Ok()
        .content_type(crate::metrics::registry::CONTENT_TYPE)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(state.metrics.render(gauges))
}

/// True when the request bears `Authorization: Bearer <token>`. Both sides are hashed first,
/// so the comparison takes the same time whatever the length or content of the guess.
fn bearer_matches(req: &HttpRequest, token: &str) -> bool {
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default();
    same_digest(given, token)
}

fn same_digest(a: &str, b: &str) -> bool {
    let (a, b) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// True for a POST to an inbox: the shared one (`/inbox`), the instance actor's
/// (`/actor/inbox`) or an actor's (`/{segment}/{id}/inbox`). Decided on the path, so that
/// requests a middleware refused before routing count too.
pub fn is_inbox_post(method: &Method, path: &str) -> bool {
    if *method != Method::POST {
        return false;
    }
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    matches!(
        segments.as_slice(),
        ["inbox"] | ["actor", "inbox"] | [_, _, "inbox"]
    )
}

/// The middleware: `App::wrap(from_fn(http::metrics::count(metrics)))`, outermost, so that it
/// sees the status every other middleware answered. Counts nothing while `[metrics]` is off.
pub fn count<B: actix_web::body::MessageBody + 'static>(
    metrics: Metrics,
    enabled: bool,
) -> impl Fn(
    ServiceRequest,
    Next<B>,
) -> futures_util::future::LocalBoxFuture<
    'static,
    Result<ServiceResponse<B>, actix_web::Error>,
> + Clone {
    move |req: ServiceRequest, next: Next<B>| {
        let metrics = metrics.clone();
        Box::pin(async move {
            if !enabled {
                return next.call(req).await;
            }
            let inbox = is_inbox_post(req.method(), req.path());
            let res = next.call(req).await?;
            let status = res.status();
            metrics.request(res.request().match_pattern().as_deref(), status.as_u16());
            if inbox {
                match status.is_success() {
                    true => metrics.inbox_accepted(),
                    false => {
                        let error = res.response().error().and_then(|e| e.as_error::<Error>());
                        metrics.inbox_refused(InboxReason::of(error, status));
                    }
                }
            }
            Ok(res)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inbox_posts_are_recognised_by_their_path() {
        for path in [
            "/inbox",
            "/actor/inbox",
            "/people/alice/inbox",
            "/repos/r/inbox",
        ] {
            assert!(is_inbox_post(&Method::POST, path), "{path}");
        }
        assert!(!is_inbox_post(&Method::GET, "/people/alice/inbox"));
        for path in [
            "/people/alice/outbox",
            "/inbox/x",
            "/a/b/c/inbox",
            "/people/inbox",
        ] {
            assert!(!is_inbox_post(&Method::POST, path), "{path}");
        }
    }

    #[test]
    fn tokens_compare_whole() {
        let token = "s3cret-s3cret-s3cret";
        assert!(same_digest(token, token));
        assert!(!same_digest("s3cret-s3cret-s3cre", token));
        assert!(!same_digest("", token));
        assert!(!same_digest("S3cret-s3cret-s3cret", token));
    }
}
