//! The label sets of the metrics, each over a small, closed set of values: a route is the
//! pattern that matched (never the requested path), a refusal reason one of `InboxReason`, a
//! transport `ssh` or `http`, a host a DNS name or address the URL parser produced (with the
//! number of distinct hosts capped by `registry`). No label carries what a client typed.

use crate::error::Error;
use actix_web::http::StatusCode;
use prometheus_client::encoding::EncodeLabelSet;

/// The route label of a request no route matched.
pub const UNMATCHED: &str = "unmatched";

/// `orchard_http_requests_total{route,status}`
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// The matched route's pattern (e.g. `/{kind}/{id}/inbox`), or `unmatched`.
    pub route: String,
    pub status: u16,
}

/// `orchard_inbox_activities_total{outcome,reason}`
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct InboxLabels {
    /// `accepted` or `refused`.
    pub outcome: &'static str,
    /// `none` when accepted, else `InboxReason::label`.
    pub reason: &'static str,
}

/// `orchard_delivery_failures_total{host}`
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct HostLabels {
    pub host: String,
}

/// `orchard_git_pushes_total{transport}`, `orchard_git_clones_total{transport}`
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct TransportLabels {
    pub transport: &'static str,
}

/// How git reached the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    Ssh,
    Http,
}

impl Transport {
    pub fn label(self) -> &'static str {
        match self {
            Transport::Ssh => "ssh",
            Transport::Http => "http",
        }
    }
}

/// Why an inbox POST was refused: the class of its error, a closed set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InboxReason {
    /// The host or actor is blocked here (403).
    Blocked,
    /// Over the inbox rate of its address or host (429).
    RateLimited,
    /// The body is over the limit (413).
    TooLarge,
    /// The body took too long to arrive (408).
    Timeout,
    /// Missing or bad signature, Digest, Date or key (401).
    Signature,
    /// Not JSON, not an activity, a bad shape or id (400).
    Malformed,
    /// No such inbox (404).
    NotFound,
    /// The inbox's actor was deleted (410).
    Gone,
    /// The storage is (almost) full (507).
    StorageFull,
    /// Temporarily unavailable (503).
    Unavailable,
    /// Anything else (a 5xx, another 4xx).
    Internal,
}

impl InboxReason {
    /// Every reason, for documentation and tests.
    pub const ALL: [InboxReason; 11] = [
        InboxReason::Blocked,
        InboxReason::RateLimited,
        InboxReason::TooLarge,
        InboxReason::Timeout,
        InboxReason::Signature,
        InboxReason::Malformed,
        InboxReason::NotFound,
        InboxReason::Gone,
        InboxReason::StorageFull,
        InboxReason::Unavailable,
        InboxReason::Internal,
    ];

    /// The label value.
    pub fn label(self) -> &'static str {
        match self {
            InboxReason::Blocked => "blocked",
            InboxReason::RateLimited => "rate_limited",
            InboxReason::TooLarge => "too_large",
            InboxReason::Timeout => "timeout",
            InboxReason::Signature => "signature",
            InboxReason::Malformed => "malformed",
            InboxReason::NotFound => "not_found",
            InboxReason::Gone => "gone",
            InboxReason::StorageFull => "storage_full",
            InboxReason::Unavailable => "unavailable",
            InboxReason::Internal => "internal",
        }
    }

    /// The reason of a refused POST: from the server's error when the answer carries one, else
    /// from the status (refusals of the middleware: the body deadline, the free-space guard).
    pub fn of(error: Option<&Error>, status: StatusCode) -> InboxReason {
        match error {
            Some(e) if e.is_full_disk() => InboxReason::StorageFull,
            Some(Error::Signature(_) | Error::Unauthorized(_)) => InboxReason::Signature,
            Some(Error::BadRequest(_)) => InboxReason::Malformed,
            Some(Error::Forbidden(_)) => InboxReason::Blocked,
            _ => InboxReason::of_status(status),
        }
    }

    fn of_status(status: StatusCode) -> InboxReason {
        match status.as_u16() {
            400 => InboxReason::Malformed,
            401 => InboxReason::Signature,
            403 => InboxReason::Blocked,
            404 => InboxReason::NotFound,
            408 => InboxReason::Timeout,
            410 => InboxReason::Gone,
            413 => InboxReason::TooLarge,
            429 => InboxReason::RateLimited,
            503 => InboxReason::Unavailable,
            507 => InboxReason::StorageFull,
            _ => InboxReason::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_map_to_their_reason() {
        let of = |e: Error| InboxReason::of(Some(&e), actix_web::ResponseError::status_code(&e));
        assert_eq!(of(Error::Signature("x".into())), InboxReason::Signature);
        assert_eq!(of(Error::BadRequest("x".into())), InboxReason::Malformed);
        assert_eq!(of(Error::Forbidden("x".into())), InboxReason::Blocked);
        assert_eq!(of(Error::NotFound("x".into())), InboxReason::NotFound);
        assert_eq!(of(Error::TooLarge("x".into())), InboxReason::TooLarge);
        let rate = Error::RateLimited {
            host: "h".into(),
            retry_after: 1,
        };
        assert_eq!(of(rate), InboxReason::RateLimited);
        let low = Error::StorageLow {
            free_mb: 1,
            min_free_mb: 2,
        };
        assert_eq!(of(low), InboxReason::StorageFull);
        assert_eq!(of(Error::Remote("x".into())), InboxReason::Internal);
    }

    #[test]
    fn statuses_without_an_error_map_too() {
        let of = |s: u16| InboxReason::of(None, StatusCode::from_u16(s).unwrap());
        assert_eq!(of(408), InboxReason::Timeout);
        assert_eq!(of(507), InboxReason::StorageFull);
        assert_eq!(of(503), InboxReason::Unavailable);
        assert_eq!(of(500), InboxReason::Internal);
    }

    #[test]
    fn labels_are_distinct_snake_case() {
        let labels: std::collections::BTreeSet<_> =
            InboxReason::ALL.iter().map(|r| r.label()).collect();
        assert_eq!(labels.len(), InboxReason::ALL.len());
        assert!(labels
            .iter()
            .all(|l| l.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')));
    }
}
