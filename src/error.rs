//! The one error type of the server crate, mapped to an HTTP status and a safe JSON message.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use actors::ActorError;

/// `Retry-After` of a 503 "temporarily unavailable, retry later" (an actor's mailbox closed or
/// full, a task that failed or timed out).
pub const TRY_AGAIN_SECS: u64 = 5;

/// Everything the server can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A domain error from the actors crate.
    #[error(transparent)]
    Actor(#[from] ActorError),
    /// Malformed input (400).
    #[error("{0}")]
    BadRequest(String),
    /// Missing or wrong credentials (401).
    #[error("{0}")]
    Unauthorized(String),
    /// Not allowed (403).
    #[error("{0}")]
    Forbidden(String),
    /// Nothing here (404).
    #[error("{0}")]
    NotFound(String),
    /// It was here and was deleted (410): the `Tombstone` document when a document was asked
    /// for (`application/activity+json`), else the message as text (git clients show it).
    #[error("{message}")]
    Gone {
        message: String,
        document: Option<Box<serde_json::Value>>,
    },
    /// The request body is larger than allowed (413).
    #[error("{0}")]
    TooLarge(String),
    /// A signed request failed verification: signature, key, Date or Digest (401).
    #[error("{0}")]
    Signature(String),
    /// Too many requests (429, with Retry-After in seconds).
    #[error("too many requests from {host}; retry in {retry_after} s")]
    RateLimited { host: String, retry_after: u64 },
    /// Fetching or delivering to a remote server failed (502 when it surfaces in a request).
    #[error("{0}")]
    Remote(String),
    /// The settings file is invalid; the message names the file and the key.
    #[error("invalid settings in {file}: {message}")]
    Settings { file: String, message: String },
    /// An I/O failure (start-up, files).
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// A write refused by the free-space guard before it reached the store (507).
    #[error("the server's storage is almost full ({free_mb} MiB free, [storage] min_free_mb = {min_free_mb}); retry later")]
    StorageLow { free_mb: u64, min_free_mb: u64 },
}

impl Error {
    fn actor_status(e: &ActorError) -> StatusCode {
        match e {
            ActorError::NotFound(_) => StatusCode::NOT_FOUND,
            ActorError::Conflict(_) => StatusCode::CONFLICT,
            ActorError::Invalid(_) => StatusCode::BAD_REQUEST,
            ActorError::Forbidden(_) => StatusCode::FORBIDDEN,
            ActorError::Unauthorized => StatusCode::UNAUTHORIZED,
            // A closed or full mailbox, a timed-out or failed task, an actor reloading after a
            // failed commit: the request did not happen and may simply be retried.
            ActorError::Mailbox(_) | ActorError::Task(_) => StatusCode::SERVICE_UNAVAILABLE,
            ActorError::Storage(_)
            | ActorError::Transaction(_)
            | ActorError::Corrupt(_)
            | ActorError::Damaged { .. }
            | ActorError::Crypto(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl Error {
    /// An actor's refusal of a read as the HTTP error: what it does not hold is "no ... here".
    pub fn not_here(e: ActorError) -> Error {
        match e {
            ActorError::NotFound(what) => Error::NotFound(format!("no {what} here")),
            other => other.into(),
        }
    }

    /// True when the failure is a full disk (answered 507).
    pub fn is_full_disk(&self) -> bool {
        match self {
            Error::Actor(e) => e.is_full_disk(),
            Error::Io(e) => crate::storage_faults::is_full_disk(e),
            _ => false,
        }
    }
}

impl ResponseError for Error {
    fn status_code(&self) -> StatusCode {
        if self.is_full_disk() {
            return StatusCode::INSUFFICIENT_STORAGE;
        }
        match self {
            Error::Actor(e) => Self::actor_status(e),
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::Gone { .. } => StatusCode::GONE,
            Error::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Error::Signature(_) => StatusCode::UNAUTHORIZED,
            Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::Remote(_) => StatusCode::BAD_GATEWAY,
            Error::StorageLow { .. } => StatusCode::INSUFFICIENT_STORAGE,
            Error::Settings { .. } | Error::Io(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status == StatusCode::INSUFFICIENT_STORAGE {
            // A full disk is logged once per interval by the HTTP layer
            // (storage_faults::FullDiskLog); the guard logs its own transitions (disk_guard).
            let message = match self {
                Error::StorageLow { .. } => self.to_string(),
                _ => "the server's storage is full: the request was not completed; retry later"
                    .into(),
            };
            let mut res = json_error(status, &message);
            res.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from(
                    crate::storage_faults::FULL_DISK_RETRY_SECS,
                ),
            );
            return res;
        }
        if let Error::Gone { message, document } = self {
            return gone(message, document.as_deref());
        }
        // Internal details are logged, never shown.
        let message = if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
            match (status, self) {
                (StatusCode::SERVICE_UNAVAILABLE, _) => {
                    "temporarily unavailable, retry later".into()
                }
                (_, Error::Remote(m)) => m.clone(),
                _ => "internal error".to_string(),
            }
        } else {
            self.to_string()
        };
        let mut res = json_error(status, &message);
        if status == StatusCode::SERVICE_UNAVAILABLE {
            res.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from(TRY_AGAIN_SECS),
            );
        }
        if let Error::RateLimited { retry_after, .. } = self {
            if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&retry_after.to_string())
            {
                res.headers_mut()
                    .insert(actix_web::http::header::RETRY_AFTER, v);
            }
        }
        res
    }
}

impl Error {
    /// The exit status of `orchard serve` failing with this error: 2 for what the operator must
    /// fix before a start can succeed (settings, a damaged database), 1 otherwise.
    pub fn exit_status(&self) -> u8 {
        match self {
            Error::Settings { .. } | Error::Actor(ActorError::Damaged { .. }) => 2,
            _ => 1,
        }
    }
}

/// A 410: the Tombstone document, or the message as text.
fn gone(message: &str, document: Option<&serde_json::Value>) -> HttpResponse {
    match document {
        Some(doc) => HttpResponse::Gone()
            .content_type(schema::context::ACTIVITY_JSON)
            .json(doc),
        None => HttpResponse::Gone()
            .content_type("text/plain; charset=utf-8")
            .body(format!("{message}\n")),
    }
}

/// A JSON error body `{"error": message}` with the given status.
pub fn json_error(status: StatusCode, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(serde_json::json!({ "error": message }))
}

/// Result alias for the server crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_507_with_retry_after_and_a_reason() {
        let full = std::io::Error::from_raw_os_error(28);
        for e in [
            Error::Actor(ActorError::Storage(full)),
            Error::Actor(ActorError::Task(
                "commit failed: IO error: No space left on device (os error 28)".into(),
            )),
        ] {
            let res = e.error_response();
            assert_eq!(res.status(), StatusCode::INSUFFICIENT_STORAGE);
            assert_eq!(res.headers().get("retry-after").unwrap(), "60");
        }
        let other = Error::Actor(ActorError::Storage(std::io::Error::from_raw_os_error(5)));
        assert_eq!(other.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn a_failed_task_is_503_with_retry_after_and_a_safe_message() {
        for e in [
            Error::Actor(ActorError::Task(
                "people/alice is reloading after a failed commit; try again".into(),
            )),
            Error::Actor(ActorError::Mailbox(actix::MailboxError::Timeout)),
            Error::Actor(ActorError::Mailbox(actix::MailboxError::Closed)),
        ] {
            let res = e.error_response();
            assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE, "{e}");
            assert_eq!(res.headers().get("retry-after").unwrap(), "5");
            let body = actix_web::body::to_bytes(res.into_body());
            let body = futures_util::FutureExt::now_or_never(body)
                .unwrap()
                .unwrap();
            let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(body["error"], "temporarily unavailable, retry later");
        }
    }
}
