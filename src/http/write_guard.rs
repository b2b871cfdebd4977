//! Refuses every request that writes while the storage is almost full (`disk_guard`), before
//! any handler runs, so nothing reaches the store: `507` with Retry-After and the reason. A
//! request writes unless it is a GET, HEAD or OPTIONS, or a smart-HTTP `git-upload-pack` POST
//! (a clone or fetch). Reads keep working.

use crate::disk_guard::DiskGuard;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::ResponseError;

/// Whether a request with this method and path may write to the store.
pub fn writes(method: &Method, path: &str) -> bool {
    let reads = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
        || (*method == Method::POST && path.ends_with("/git-upload-pack"));
    !reads
}

/// What the middleware answers: the handler's response, or the refusal.
type Answer<B> = futures_util::future::LocalBoxFuture<
    'static,
    Result<ServiceResponse<EitherBody<B>>, actix_web::Error>,
>;

/// The middleware: `App::wrap(from_fn(write_guard::refuse_when_low(guard)))`.
pub fn refuse_when_low<B: MessageBody + 'static>(
    guard: DiskGuard,
) -> impl Fn(ServiceRequest, Next<B>) -> Answer<B> + Clone {
    move |req: ServiceRequest, next: Next<B>| {
        let refused = match writes(req.method(), req.path()) {
            true => guard.check().err(),
            false => None,
        };
        Box::pin(async move {
            match refused {
                Some(e) => Ok(req.into_response(e.error_response()).map_into_right_body()),
                None => Ok(next.call(req).await?.map_into_left_body()),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pass_and_everything_else_is_a_write() {
        for (method, path) in [
            (Method::GET, "/people/alice"),
            (Method::HEAD, "/people/alice/outbox"),
            (Method::OPTIONS, "/api/v1/register"),
            (Method::POST, "/repos/r/git-upload-pack"),
        ] {
            assert!(!writes(&method, path), "{method} {path}");
        }
        for (method, path) in [
            (Method::POST, "/api/v1/register"),
            (Method::POST, "/api/v1/login"),
            (Method::POST, "/inbox"),
            (Method::POST, "/people/alice/outbox"),
            (Method::POST, "/repos/r/git-receive-pack"),
            (Method::DELETE, "/api/v1/tokens/1"),
            (Method::PUT, "/anything"),
        ] {
            assert!(writes(&method, path), "{method} {path}");
        }
    }
}
