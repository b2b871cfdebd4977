//! Routes of the account API: `POST /api/v1/register` and `POST /api/v1/login`, with their
//! limits (see `account_limits`), the names reserved for the operator (listed in
//! `[accounts] factory_creators`/`admins` without an account), and the account checks at start.

use super::account_limits::limited;
use super::state::AppState;
use crate::client_addr;
use crate::error::{Error, Result};
use crate::settings::Settings;
use actix_web::{web, HttpRequest, HttpResponse};
use actors::urls::routes;
use actors::Accounts;
use serde::Deserialize;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(routes::API_REGISTER, web::post().to(register))
        .route(routes::API_LOGIN, web::post().to(login));
}

/// Body of register and login.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

/// The settings key that lists `username` as privileged, if one does.
pub fn listing_key(settings: &Settings, username: &str) -> Option<&'static str> {
    let a = &settings.accounts;
    if a.admins.iter().any(|n| n == username) {
        Some("admins")
    } else if a.factory_creators.iter().any(|n| n == username) {
        Some("factory_creators")
    } else {
        None
    }
}

/// At start: gives stored tokens without an expiry one, and logs one line per privileged name
/// in the settings: reserved (no account yet), privileged (an account the operator created), or
/// not privileged (an account registered over the API, maybe by a stranger before the name was
/// listed: the listing gives it nothing).
pub async fn at_start(settings: &Settings, accounts: &Accounts) -> Result<()> {
    accounts.tokens().upgrade().await?;
    let a = &settings.accounts;
    for (key, names) in [
        ("admins", &a.admins),
        ("factory_creators", &a.factory_creators),
    ] {
        for name in names {
            if !accounts.exists(name)? {
                tracing::warn!(
                    username = %name,
                    "[accounts] {key} names {name}, which has no account: the name is reserved \
                     (registering it is refused); create it with `orchard admin create-account {name}`"
                );
            } else if accounts.by_operator(name)? {
                tracing::info!(username = %name, "[accounts] {key} gives {name} its role");
            } else {
                tracing::warn!(
                    username = %name,
                    "[accounts] {key} names {name}, but that account was registered over the API, \
                     not created by the operator: the listing gives it nothing. If it is yours, \
                     run `orchard admin grant {name}`; otherwise remove it from the list"
                );
            }
        }
    }
    Ok(())
}

/// `POST /api/v1/register` -> 201 {"id", "username"}.
async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<Credentials>,
) -> Result<HttpResponse> {
    let r = register_account(&state, &req, &body).await?;
    let id = state.urls.actor(&r);
    Ok(HttpResponse::Created()
        .insert_header((actix_web::http::header::LOCATION, id.as_str()))
        .json(serde_json::json!({ "id": id, "username": r.id })))
}

/// Registers an account (the API's `register` and the web's sign-up): registration open, the
/// name and password valid, the per-address limit, the reserved names, a free name, a hash
/// slot; then the resident Factories' Grants. Answers the new person.
pub async fn register_account(
    state: &AppState,
    req: &HttpRequest,
    body: &Credentials,
) -> Result<actors::ActorRef> {
    if !state.settings.accounts.registration {
        return Err(Error::Forbidden(
            "registration is closed on this instance".into(),
        ));
    }
    Accounts::validate(&body.username, &body.password)?;
    let addr = client_addr::request_key(req, &state.settings.http.trusted_proxies);
    state
        .account_limits
        .register_by_address
        .take(&addr)
        .map_err(|w| limited(addr.clone(), w))?;
    if let Some(key) = listing_key(&state.settings, &body.username) {
        return Err(Error::Forbidden(format!(
            "the username {} is reserved by [accounts] {key}: the operator creates it with \
             `orchard admin create-account {}`",
            body.username, body.username
        )));
    }
    if state.accounts.exists(&body.username)? {
        return Err(
            actors::ActorError::Conflict(format!("username {} is taken", body.username)).into(),
        );
    }
    let slot = state.account_limits.registration_slot().await?;
    let r = state
        .accounts
        .register(&body.username, &body.password, slot)
        .await?;
    let resident: Vec<String> = (state.settings.accounts.resident_factories.iter())
        .filter_map(|entry| state.settings.resident_factory_id(entry))
        .collect();
    actors::flows::factory_create::grant_resident(&state.registry, &r, &resident).await;
    Ok(r)
}

/// The per-username bucket key: the name, or one shared key for anything that cannot be a
/// username (so a long made-up name cannot grow the table).
fn username_key(username: &str) -> &str {
    if actors::kind::is_valid_local_id(username) {
        username
    } else {
        "<not a username>"
    }
}

/// The failed-attempt tokens one login or password change took (see [`take_attempt`]).
pub struct Attempt {
    addr: String,
    username: String,
    /// Whether the all-addresses bucket of the username was taken from.
    global: bool,
}

/// The (username, address) bucket key.
fn pair_key(username: &str, addr: &str) -> String {
    format!("{username} from {addr}")
}

/// Takes a failed-attempt token from the client address's bucket, the (username, address)
/// bucket and, unless the address logged in as this username recently, the username's
/// all-addresses bucket; 429 when one is empty (nothing stays taken then).
pub fn take_attempt(state: &AppState, addr: &str, username: &str) -> Result<Attempt> {
    let username = username_key(username);
    let l = &state.account_limits;
    l.login_by_address
        .take(addr)
        .map_err(|w| limited(addr.to_string(), w))?;
    let pair = pair_key(username, addr);
    if let Err(w) = l.login_by_username_address.take(&pair) {
        l.login_by_address.give_back(addr);
        return Err(limited(format!("{addr} for the username {username}"), w));
    }
    let global = !l.known.contains(username, addr);
    if global {
        if let Err(w) = l.login_by_username.take(username) {
            l.login_by_address.give_back(addr);
            l.login_by_username_address.give_back(&pair);
            return Err(limited(format!("anyone for the username {username}"), w));
        }
    }
    Ok(Attempt {
        addr: addr.to_string(),
        username: username.to_string(),
        global,
    })
}

impl Attempt {
    /// Gives back the tokens taken (the attempt does not count: no password was checked).
    pub fn give_back(&self, state: &AppState) {
        let l = &state.account_limits;
        l.login_by_address.give_back(&self.addr);
        l.login_by_username_address
            .give_back(&pair_key(&self.username, &self.addr));
        if self.global {
            l.login_by_username.give_back(&self.username);
        }
    }

    /// The password was right: gives the tokens back and remembers the address as one that
    /// logs in as this username.
    pub fn succeeded(&self, state: &AppState) {
        self.give_back(state);
        state
            .account_limits
            .known
            .remember(&self.username, &self.addr);
    }
}

/// `POST /api/v1/login` -> 200 {"token", "id", "expires"}; 401 on any mismatch; 403 when the
/// account is suspended; 429 past the limits.
async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<Credentials>,
) -> Result<HttpResponse> {
    let (token, info) = login_account(&state, &req, &body).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "token": token, "id": info.id, "expires": info.expires
    })))
}

/// Checks a password and issues a token (the API's `login` and the web's sign-in) within the
/// failed-attempt limits and the hash slots; 401 on any mismatch; 403 "account suspended"
/// (only once the password is right) for a suspended account.
pub async fn login_account(
    state: &AppState,
    req: &HttpRequest,
    body: &Credentials,
) -> Result<(String, actors::tokens::TokenInfo)> {
    let addr = client_addr::request_key(req, &state.settings.http.trusted_proxies);
    let attempt = take_attempt(state, &addr, &body.username)?;
    let slot = match state.account_limits.hash_slot().await {
        Ok(s) => s,
        Err(e) => {
            attempt.give_back(state);
            return Err(e);
        }
    };
    let issued = match state
        .accounts
        .login(&body.username, &body.password, slot)
        .await
    {
        Ok(issued) => issued,
        Err(actors::ActorError::Unauthorized) => {
            return Err(Error::Unauthorized("wrong username or password".into()))
        }
        Err(actors::ActorError::Forbidden(m)) => {
            // The right password of a suspended account: not a failed attempt.
            attempt.give_back(state);
            return Err(Error::Forbidden(m));
        }
        Err(other) => return Err(other.into()),
    };
    attempt.succeeded(state);
    Ok(issued)
}
