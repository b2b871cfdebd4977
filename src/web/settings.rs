//! The settings page `/settings` of the signed-in person: SSH keys (add, remove), tokens and
//! web sessions (list, revoke), the password, and a link to the person's error box. Each form
//! checks its CSRF token, then calls the same function as the JSON API (`http::ssh_keys`,
//! `http::tokens`).

use super::csrf;
use super::error_page::PageResult;
use super::items::short_time;
use super::page::{chrome, redirect_see_other, render, Chrome};
use super::session;
use crate::http::ssh_keys::{add_key, list_keys, remove_key};
use crate::http::state::AppState;
use crate::http::tokens::change_password;
use actix_web::{web, HttpRequest};
use actors::ssh_keys::SshKeyRecord;
use actors::tokens::TokenInfo;
use askama::Template;
use serde::Deserialize;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/settings", web::get().to(show))
        .route("/settings/ssh-keys", web::post().to(add_ssh_key))
        .route("/settings/ssh-keys/remove", web::post().to(remove_ssh_key))
        .route("/settings/tokens/revoke", web::post().to(revoke_token))
        .route("/settings/password", web::post().to(password));
}

/// A token as the page lists it.
struct TokenRow {
    id: String,
    created: String,
    expires: String,
    last_used: String,
    current: bool,
}

impl TokenRow {
    fn new(info: TokenInfo, current: bool) -> TokenRow {
        let time = |t: Option<String>| t.as_deref().map(short_time).unwrap_or_default();
        TokenRow {
            id: info.id,
            created: short_time(&info.created),
            expires: time(info.expires),
            last_used: time(info.last_used),
            current,
        }
    }
}

/// An SSH key as the page lists it.
struct KeyRow {
    fingerprint: String,
    comment: String,
    added: String,
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    chrome: Chrome,
    keys: Vec<KeyRow>,
    tokens: Vec<TokenRow>,
    notice: Option<String>,
    /// The person's error box page.
    errors: String,
}

#[derive(Deserialize)]
struct Notice {
    done: Option<String>,
}

/// The message a `?done=` after a form names (fixed texts only: nothing from the URL is shown).
fn notice(done: Option<&str>) -> Option<String> {
    let text = match done? {
        "key-added" => "SSH key added.",
        "key-removed" => "SSH key removed.",
        "token-revoked" => "Token revoked.",
        "password" => "Password changed; your other sessions and tokens were revoked.",
        _ => return None,
    };
    Some(text.to_string())
}

async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<Notice>,
) -> PageResult {
    let s = session::session(&state, &req)?
        .ok_or_else(|| crate::error::Error::Unauthorized("sign in first".into()))?;
    let tokens = state
        .accounts
        .tokens()
        .list(&s.username)?
        .into_iter()
        .map(|(info, hash)| TokenRow::new(info, hash == s.token_hash))
        .collect();
    let keys = list_keys(&state, &s.username)?
        .into_iter()
        .map(|k: SshKeyRecord| KeyRow {
            fingerprint: k.fingerprint,
            comment: k.comment.unwrap_or_default(),
            added: short_time(&k.added),
        })
        .collect();
    Ok(render(&SettingsPage {
        chrome: chrome(&state, &req)?,
        keys,
        tokens,
        notice: notice(query.done.as_deref()),
        errors: super::error_box::link(
            state
                .urls
                .actor(&actors::ActorRef::new(
                    actors::ActorKind::Person,
                    s.username,
                ))
                .as_str(),
        ),
    })?)
}

#[derive(Deserialize)]
struct KeyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    key: String,
}

async fn add_ssh_key(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<KeyForm>,
) -> PageResult {
    csrf::check(&state, &req, &form.csrf)?;
    let user = session::require_signed_in(&state, &req)?;
    add_key(&state, &user, &form.key).await?;
    Ok(redirect_see_other("/settings?done=key-added"))
}

#[derive(Deserialize)]
struct RemoveKeyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    fingerprint: String,
}

async fn remove_ssh_key(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<RemoveKeyForm>,
) -> PageResult {
    csrf::check(&state, &req, &form.csrf)?;
    let user = session::require_signed_in(&state, &req)?;
    remove_key(&state, &user, &form.fingerprint).await?;
    Ok(redirect_see_other("/settings?done=key-removed"))
}

#[derive(Deserialize)]
struct RevokeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    id: String,
}

async fn revoke_token(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<RevokeForm>,
) -> PageResult {
    csrf::check(&state, &req, &form.csrf)?;
    let user = session::require_signed_in(&state, &req)?;
    if !state.accounts.tokens().revoke_id(&user, &form.id).await? {
        return Err(crate::error::Error::NotFound(format!("you have no token {}", form.id)).into());
    }
    Ok(redirect_see_other("/settings?done=token-revoked"))
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    old_password: String,
    #[serde(default)]
    new_password: String,
}

async fn password(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<PasswordForm>,
) -> PageResult {
    csrf::check(&state, &req, &form.csrf)?;
    let s = session::session(&state, &req)?
        .ok_or_else(|| crate::error::Error::Unauthorized("sign in first".into()))?;
    change_password(&state, &req, &s, &form.old_password, &form.new_password).await?;
    Ok(redirect_see_other("/settings?done=password"))
}
