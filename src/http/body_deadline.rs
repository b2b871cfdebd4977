//! The read deadline of every request body (`[http] body_timeout_secs`), applied app-wide as a
//! middleware that wraps the payload: a body still arriving when the deadline passes ends in an
//! error for whatever reads it, and the answer is replaced by `408 {"error": ...}` with
//! `Connection: close`. Git's smart-HTTP POSTs (a push can be large) get the longer
//! `[ssh] push_timeout_secs` instead.

use crate::error::json_error;
use actix_web::dev::{forward_ready, Payload, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::error::PayloadError;
use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::HttpMessage;
use futures_util::future::LocalBoxFuture;
use futures_util::Stream;
use std::cell::Cell;
use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

/// The middleware factory: `App::wrap(BodyDeadline::new(body, git))`.
#[derive(Clone, Copy)]
pub struct BodyDeadline {
    body: Duration,
    git: Duration,
}

impl BodyDeadline {
    pub fn new(body: Duration, git: Duration) -> BodyDeadline {
        BodyDeadline { body, git }
    }
}

impl<S, B> Transform<S, ServiceRequest> for BodyDeadline
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: actix_web::body::MessageBody + 'static,
{
    type Response = ServiceResponse<actix_web::body::EitherBody<B>>;
    type Error = actix_web::Error;
    type Transform = BodyDeadlineService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(BodyDeadlineService {
            service: Rc::new(service),
            limits: *self,
        }))
    }
}

pub struct BodyDeadlineService<S> {
    service: Rc<S>,
    limits: BodyDeadline,
}

/// A payload that fails once its deadline has passed; `expired` records that it did.
struct DeadlineStream {
    inner: Payload,
    sleep: Pin<Box<tokio::time::Sleep>>,
    expired: Rc<Cell<bool>>,
    done: bool,
}

impl Stream for DeadlineStream {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        match Pin::new(&mut self.inner).poll_next(cx) {
            Poll::Ready(None) => {
                self.done = true;
                return Poll::Ready(None);
            }
            Poll::Ready(Some(item)) => return Poll::Ready(Some(item)),
            Poll::Pending => {}
        }
        match self.sleep.as_mut().poll(cx) {
            Poll::Ready(()) => {
                self.done = true;
                self.expired.set(true);
                Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "request body not received within [http] body_timeout_secs",
                )))))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

fn is_git_post(req: &ServiceRequest) -> bool {
    let path = req.path();
    path.ends_with("/git-receive-pack") || path.ends_with("/git-upload-pack")
}

impl<S, B> Service<ServiceRequest> for BodyDeadlineService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: actix_web::body::MessageBody + 'static,
{
    type Response = ServiceResponse<actix_web::body::EitherBody<B>>;
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, mut req: ServiceRequest) -> Self::Future {
        let limit = match is_git_post(&req) {
            true => self.limits.git,
            false => self.limits.body,
        };
        let expired = Rc::new(Cell::new(false));
        let stream = DeadlineStream {
            inner: req.take_payload(),
            sleep: Box::pin(tokio::time::sleep(limit)),
            expired: expired.clone(),
            done: false,
        };
        req.set_payload(Payload::Stream {
            payload: Box::pin(stream),
        });
        let service = self.service.clone();
        Box::pin(async move {
            let res = service.call(req).await;
            if !expired.get() {
                return res.map(ServiceResponse::map_into_left_body);
            }
            let (req, _) = match res {
                Ok(r) => r.into_parts(),
                Err(e) => {
                    tracing::info!(error = %e, "request failed after its body deadline");
                    return Err(e);
                }
            };
            tracing::info!(path = %req.path(), "request body too slow: answered 408 and closed");
            let mut answer = json_error(
                StatusCode::REQUEST_TIMEOUT,
                &format!(
                    "the request body did not arrive within {} s ([http] body_timeout_secs)",
                    limit.as_secs()
                ),
            );
            answer
                .head_mut()
                .set_connection_type(actix_web::http::ConnectionType::Close);
            Ok(ServiceResponse::new(req, answer).map_into_right_body())
        })
    }
}
