//! Routes of the account API: `POST /api/v1/register` and `POST /api/v1/login`.

use super::AppState;
use crate::error::{Error, Result};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/register", web::post().to(register))
        .route("/api/v1/login", web::post().to(login));
}

/// Body of register and login.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

/// `POST /api/v1/register` -> 201 {"id", "username"}.
async fn register(
    state: web::Data<AppState>,
    body: web::Json<Credentials>,
) -> Result<HttpResponse> {
    if !state.settings.accounts.registration {
        return Err(Error::Forbidden(
            "registration is closed on this instance".into(),
        ));
    }
    let r = state
        .accounts
        .register(&body.username, &body.password)
        .await?;
    super::factories::grant_resident(&state, &r).await;
    let id = state.urls.actor(&r);
    Ok(HttpResponse::Created()
        .insert_header((actix_web::http::header::LOCATION, id.as_str()))
        .json(serde_json::json!({ "id": id, "username": r.id })))
}

/// `POST /api/v1/login` -> 200 {"token"}; 401 on any mismatch.
async fn login(state: web::Data<AppState>, body: web::Json<Credentials>) -> Result<HttpResponse> {
    let token = state
        .accounts
        .login(&body.username, &body.password)
        .await
        .map_err(|e| match e {
            actors::ActorError::Unauthorized => {
                Error::Unauthorized("wrong username or password".into())
            }
            other => other.into(),
        })?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "token": token })))
}
