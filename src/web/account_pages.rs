//! Signing up, in and out: `GET/POST /signup`, `GET/POST /login`, `POST /logout`. The forms go
//! through the API's own code (`http::accounts::register_account` and `login_account`: the
//! same validation, reserved names and rate limits); a session is a token of the token store
//! (see `session`). Each POST checks its CSRF token first.

use super::csrf;
use super::error_page::PageResult;
use super::page::{chrome, redirect_see_other, render_status, Chrome};
use super::session;
use crate::error::Error;
use crate::http::accounts::{login_account, register_account, Credentials};
use crate::http::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/signup", web::get().to(signup_form))
        .route("/signup", web::post().to(signup))
        .route("/login", web::get().to(login_form))
        .route("/login", web::post().to(login))
        .route("/logout", web::post().to(logout));
}

/// The sign-in or sign-up page.
#[derive(Template)]
#[template(path = "account_form.html")]
struct AccountForm {
    chrome: Chrome,
    /// `signup` or `login`.
    action: &'static str,
    username: String,
    error: Option<String>,
    registration: bool,
}

/// The fields of both forms (all optional: a missing CSRF token is a 403, not a 400).
#[derive(Deserialize)]
pub struct AccountFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

impl AccountFields {
    /// The credentials the form names (the username trimmed), as the JSON API takes them.
    fn credentials(&self) -> Credentials {
        Credentials {
            username: self.username.trim().to_string(),
            password: self.password.clone(),
        }
    }
}

/// The form page, with the pre-session CSRF cookie when the visitor has none.
fn form_page(
    state: &AppState,
    req: &HttpRequest,
    action: &'static str,
    status: StatusCode,
    username: String,
    error: Option<String>,
) -> PageResult {
    let (token, cookie) = csrf::pre_session(state, req);
    let mut chrome = chrome(state, req)?;
    if chrome.user.is_none() {
        chrome.csrf = token;
    }
    let page = AccountForm {
        chrome,
        action,
        username,
        error,
        registration: state.settings.accounts.registration,
    };
    let mut res = render_status(status, &page)?;
    if let Some(c) = cookie {
        res.add_cookie(&c)
            .map_err(|e| Error::BadRequest(e.to_string()))?;
    }
    Ok(res)
}

async fn signup_form(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    form_page(&state, &req, "signup", StatusCode::OK, String::new(), None)
}

async fn login_form(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    form_page(&state, &req, "login", StatusCode::OK, String::new(), None)
}

/// A failed attempt shown on the form again (rate limits and server errors stay errors).
fn again(
    state: &AppState,
    req: &HttpRequest,
    action: &'static str,
    fields: &AccountFields,
    e: Error,
) -> PageResult {
    use actix_web::ResponseError;
    let status = e.status_code();
    if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
        return Err(e.into());
    }
    form_page(
        state,
        req,
        action,
        status,
        fields.username.clone(),
        Some(e.to_string()),
    )
}

/// Opens a session for `token` and goes to the dashboard.
fn signed_in(state: &AppState, token: String) -> PageResult {
    let mut res = redirect_see_other("/dashboard");
    res.add_cookie(&session::open(state, token))
        .map_err(|e| Error::BadRequest(e.to_string()))?;
    Ok(res)
}

async fn signup(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<AccountFields>,
) -> PageResult {
    csrf::check(&state, &req, &form.csrf)?;
    let credentials = form.credentials();
    if let Err(e) = register_account(&state, &req, &credentials).await {
        return again(&state, &req, "signup", &form, e);
    }
    let (token, _) = state.accounts.tokens().issue(&credentials.username).await?;
    signed_in(&state, token)
}

async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<AccountFields>,
) -> PageResult {
    csrf::check(&state, &req, &form.csrf)?;
    let credentials = form.credentials();
    match login_account(&state, &req, &credentials).await {
        Ok((token, _)) => signed_in(&state, token),
        Err(e) => again(&state, &req, "login", &form, e),
    }
}

/// The fields of a form that carries nothing but its token.
#[derive(Deserialize)]
pub struct TokenOnly {
    #[serde(default)]
    pub csrf: String,
}

async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<TokenOnly>,
) -> PageResult {
    csrf::check(&state, &req, &form.csrf)?;
    if let Some(s) = session::session(&state, &req)? {
        state
            .accounts
            .tokens()
            .revoke_hash(&s.username, &s.token_hash)
            .await?;
    }
    let mut res: HttpResponse = redirect_see_other("/");
    res.add_cookie(&session::close(&state))
        .map_err(|e| Error::BadRequest(e.to_string()))?;
    Ok(res)
}
