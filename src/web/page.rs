//! What every page shares: the chrome of the layout (`templates/base.html`: the instance's
//! name, who is signed in, the form token, the admin link, unread notifications), rendering a
//! template into a response with the security headers, and the `303 See Other` after a form.

use super::{csrf, session};
use crate::error::{Error, Result};
use crate::http::state::AppState;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};

/// The Content-Security-Policy of every page: no inline script or style, nothing from
/// elsewhere, no framing.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
    script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The layout's data; every page template has a field `chrome: Chrome`.
#[derive(Debug, Clone, Default)]
pub struct Chrome {
    /// The instance's name (its host).
    pub instance: String,
    /// The signed-in username.
    pub user: Option<String>,
    /// The CSRF token of this page's forms.
    pub csrf: String,
    pub is_admin: bool,
    /// Unread notifications of the signed-in person.
    pub unread: u64,
}

/// The instance's name shown in the header: the host of `public_url`.
pub fn instance_name(state: &AppState) -> String {
    let u = &state.settings.public_url;
    match u.port() {
        Some(p) => format!("{}:{p}", u.host_str().unwrap_or("orchard")),
        None => u.host_str().unwrap_or("orchard").to_string(),
    }
}

/// The chrome of a page for this request.
pub fn chrome(state: &AppState, req: &HttpRequest) -> Result<Chrome> {
    let user = session::signed_in(state, req)?;
    let is_admin = match &user {
        Some(u) => crate::http::auth::has_role(state, u, actors::accounts::Role::Admin)?,
        None => false,
    };
    let unread = match &user {
        Some(u) => super::notifications::unread(state, u)?,
        None => 0,
    };
    Ok(Chrome {
        instance: instance_name(state),
        user,
        csrf: csrf::token(state, req)?,
        is_admin,
        unread,
    })
}

/// Adds the security headers of a page.
pub fn secure_headers(res: &mut HttpResponse) {
    let h = res.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::VARY, "Accept, Cookie"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        h.insert(name, HeaderValue::from_static(value));
    }
}

/// Renders a template with a status.
pub fn render_status<T: askama::Template>(status: StatusCode, page: &T) -> Result<HttpResponse> {
    let html = page
        .render()
        .map_err(|e| Error::Io(std::io::Error::other(format!("template: {e}"))))?;
    let mut res = HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(html);
    secure_headers(&mut res);
    Ok(res)
}

/// Renders a template: 200 `text/html; charset=utf-8` with the security headers.
pub fn render<T: askama::Template>(page: &T) -> Result<HttpResponse> {
    render_status(StatusCode::OK, page)
}

/// `303 See Other` to `url` (after a form).
pub fn redirect_see_other(url: &str) -> HttpResponse {
    let mut res = HttpResponse::SeeOther()
        .insert_header((header::LOCATION, url))
        .finish();
    secure_headers(&mut res);
    res
}
