//! Errors of web routes as HTML pages with the right status: a page handler returns
//! [`PageResult`] (`?` converts the crate's `Error`), or wraps a `Result` with [`respond`]. Not
//! being signed in (`Error::Unauthorized`) is a `303 See Other` to `/login?next=<path>`.

use super::page::{self, Chrome};
use crate::error::Error;
use crate::http::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use askama::Template;

/// An error of a web page (the crate's `Error`, answered as HTML).
#[derive(Debug)]
pub struct PageError(pub Error);

/// What a page handler answers.
pub type PageResult = std::result::Result<HttpResponse, PageError>;

impl From<Error> for PageError {
    fn from(e: Error) -> PageError {
        PageError(e)
    }
}

impl From<actors::ActorError> for PageError {
    fn from(e: actors::ActorError) -> PageError {
        PageError(e.into())
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    chrome: Chrome,
    status: u16,
    reason: &'a str,
    message: String,
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        self.0.status_code()
    }

    fn error_response(&self) -> HttpResponse {
        html_error(&self.0, None)
    }
}

/// The HTML answer for `e`, in the request's chrome when it is known (else a neutral one).
pub fn html_error(e: &Error, chrome: Option<Chrome>) -> HttpResponse {
    if matches!(e, Error::Unauthorized(_)) {
        return page::redirect_see_other("/login");
    }
    let status = e.status_code();
    let message = if status.is_server_error() {
        // Logged and kept from the page, as the JSON answers do.
        let _ = e.error_response();
        "The server could not answer this request; retry later.".to_string()
    } else {
        e.to_string()
    };
    let chrome = chrome.unwrap_or_else(|| Chrome {
        instance: "Orchard".into(),
        ..Chrome::default()
    });
    let body = ErrorPage {
        chrome,
        status: status.as_u16(),
        reason: status.canonical_reason().unwrap_or("Error"),
        message,
    };
    let mut res =
        page::render_status(status, &body).unwrap_or_else(|_| HttpResponse::build(status).finish());
    if let Error::RateLimited { retry_after, .. } = e {
        res.headers_mut().insert(
            actix_web::http::header::RETRY_AFTER,
            actix_web::http::header::HeaderValue::from(*retry_after),
        );
    }
    res
}

/// The response of a page, its error as an HTML page.
pub fn respond(result: crate::error::Result<HttpResponse>) -> HttpResponse {
    result.unwrap_or_else(|e| html_error(&e, None))
}

/// The same, the error page in the request's own chrome (who is signed in).
pub fn respond_in(
    state: &AppState,
    req: &HttpRequest,
    result: crate::error::Result<HttpResponse>,
) -> HttpResponse {
    result.unwrap_or_else(|e| html_error(&e, page::chrome(state, req).ok()))
}
