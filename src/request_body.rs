//! Reading a request body within a size and a time bound: more than the limit is a 413 before
//! the rest is read, a body dribbled slower than `BODY_TIMEOUT` is a 400. Used by every route
//! that reads a body itself (inbox and outbox POSTs, smart-HTTP git).

use crate::error::{Error, Result};
use actix_web::web::{self, Bytes, BytesMut};
use actix_web::HttpRequest;
use futures_util::StreamExt;
use std::time::Duration;

/// Reads the body, refusing more than `limit` bytes (413) before reading them all.
pub async fn read_body(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> Result<Bytes> {
    let too_large = || Error::TooLarge(format!("body larger than {limit} bytes"));
    if let Some(len) = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
    {
        if len > limit {
            return Err(too_large());
        }
    }
    let read = async {
        let mut body = BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|e| Error::BadRequest(format!("cannot read body: {e}")))?;
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    };
    // A client dribbling its body is cut off.
    tokio::time::timeout(BODY_TIMEOUT, read)
        .await
        .map_err(|_| {
            Error::BadRequest(format!(
                "body not received within {} s",
                BODY_TIMEOUT.as_secs()
            ))
        })?
}

/// Longest time to receive a request body.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(30);
