//! The star and follow buttons of the repository page: `POST /repos/{id}/star` (a `Like` of
//! the repository) and `POST /repos/{id}/follow` (a `Follow`), each with its CSRF token checked
//! first, by a signed-in person who may see the repository, through `web::act::submit` (the
//! person's outbox), then `303 See Other` back to the page.

use super::access::open;
use crate::error::Result;
use crate::http::state::AppState;
use crate::web::act;
use crate::web::csrf;
use crate::web::error_page::PageResult;
use crate::web::page::redirect_see_other;
use crate::web::session;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

/// A form with only its token.
#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /repos/{id}/star`.
pub async fn star(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<TokenForm>,
) -> PageResult {
    Ok(act_on(&req, &state, &id, &form.csrf, "Like").await?)
}

/// `POST /repos/{id}/follow`.
pub async fn follow(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<TokenForm>,
) -> PageResult {
    Ok(act_on(&req, &state, &id, &form.csrf, "Follow").await?)
}

async fn act_on(
    req: &HttpRequest,
    state: &AppState,
    id: &str,
    token: &str,
    kind: &str,
) -> Result<HttpResponse> {
    csrf::check(state, req, token)?;
    let user = session::require_signed_in(state, req)?;
    let opened = open(state, req, id).await?;
    let repo = state.urls.actor(&opened.readable.r);
    let activity = json!({"type": kind, "to": [repo], "object": repo});
    act::submit(state, &user, activity).await?;
    Ok(redirect_see_other(&opened.header.base))
}
