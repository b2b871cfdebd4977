//! The admin page `/admin` (admins only: `http::auth::has_role`): blocks (list, add, lift), the
//! accounts with their roles (grant or revoke factory creator and admin, as `orchard admin
//! grant` does) and their suspension (suspend or unsuspend, as `orchard admin suspend` does),
//! and the delivery queue's state. Forms check the CSRF token, then call the
//! admin API's own functions (`http::admin`, `http::admin_accounts::set_suspended`) or the
//! accounts' (`Accounts::set_role`).

use super::csrf;
use super::error_page::PageResult;
use super::page::{chrome, redirect_see_other, render, Chrome};
use super::session;
use crate::error::{Error, Result};
use crate::federation::blocks::BlockRecord;
use crate::http::admin::{add_block, remove_block, Target};
use crate::http::admin_accounts::set_suspended;
use crate::http::auth::has_role;
use crate::http::state::AppState;
use actix_web::{web, HttpRequest};
use actors::accounts::Role;
use actors::storage::delivery_queue::DeliveryQueue;
use askama::Template;
use serde::Deserialize;

/// Accounts the page lists at once.
const ACCOUNTS_SHOWN: usize = 200;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin", web::get().to(show))
        .route("/admin/blocks", web::post().to(block))
        .route("/admin/blocks/remove", web::post().to(unblock))
        .route("/admin/roles", web::post().to(role))
        .route("/admin/suspension", web::post().to(suspension));
}

/// The signed-in admin; redirect to sign in, 403 for someone else.
fn admin(state: &AppState, req: &HttpRequest) -> Result<String> {
    let user = session::require_signed_in(state, req)?;
    if !has_role(state, &user, Role::Admin)? {
        return Err(Error::Forbidden(format!(
            "{user} is not an admin of this instance"
        )));
    }
    Ok(user)
}

struct AccountRow {
    username: String,
    created: String,
    admin: bool,
    factory_creator: bool,
    /// When it was suspended (the date), if it is.
    suspended: Option<String>,
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    chrome: Chrome,
    blocks: Vec<BlockRecord>,
    accounts: Vec<AccountRow>,
    more_accounts: bool,
    routes_waiting: usize,
    jobs_waiting: usize,
    next_due: String,
}

async fn show(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    admin(&state, &req)?;
    let store = state.registry.store();
    let records = actors::data::account_record::list(store, None, ACCOUNTS_SHOWN + 1)?;
    let more_accounts = records.len() > ACCOUNTS_SHOWN;
    let mut accounts = Vec::new();
    for a in records.into_iter().take(ACCOUNTS_SHOWN) {
        accounts.push(AccountRow {
            admin: has_role(&state, &a.username, Role::Admin)?,
            factory_creator: has_role(&state, &a.username, Role::FactoryCreator)?,
            created: a.created.chars().take(10).collect(),
            suspended: a.suspended.map(|s| s.chars().take(10).collect()),
            username: a.username,
        });
    }
    let queue = DeliveryQueue::open(store)?;
    let next_due = match queue.next_due()? {
        Some(ms) => match ms.saturating_sub(actors::base::clock::now_ms()) {
            0 => "now".into(),
            wait => format!("in {} s", wait.div_ceil(1000)),
        },
        None => "nothing scheduled".into(),
    };
    Ok(render(&AdminPage {
        chrome: chrome(&state, &req)?,
        blocks: state.federation.blocks.list()?,
        accounts,
        more_accounts,
        routes_waiting: queue.routes(10_000)?.len(),
        jobs_waiting: queue.pending_jobs(),
        next_due,
    })?)
}

#[derive(Deserialize)]
struct BlockForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    host: String,
    #[serde(default)]
    actor: String,
}

impl BlockForm {
    fn target(&self) -> Target {
        let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Target {
            host: some(&self.host),
            actor: some(&self.actor),
        }
    }
}

async fn block(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<BlockForm>,
) -> PageResult {
    csrf::check(&state, &req, &form.csrf)?;
    let by = admin(&state, &req)?;
    add_block(&state, &by, form.target()).await?;
    Ok(redirect_see_other("/admin"))
}

async fn unblock(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<BlockForm>,
) -> PageResult {
    csrf::check(&state, &req, &form.csrf)?;
    admin(&state, &req)?;
    remove_block(&state, form.target()).await?;
    Ok(redirect_see_other("/admin"))
}

#[derive(Deserialize)]
struct RoleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    /// `admin` or `factory-creator`.
    #[serde(default)]
    role: String,
    /// `grant` or `revoke`.
    #[serde(default)]
    change: String,
}

async fn role(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<RoleForm>,
) -> PageResult {
    csrf::check(&state, &req, &form.csrf)?;
    admin(&state, &req)?;
    let role = match form.role.as_str() {
        "admin" => Role::Admin,
        "factory-creator" => Role::FactoryCreator,
        other => return Err(Error::BadRequest(format!("no role {other:?}")).into()),
    };
    let on = match form.change.as_str() {
        "grant" => true,
        "revoke" => false,
        other => return Err(Error::BadRequest(format!("no change {other:?}")).into()),
    };
    state.accounts.set_role(&form.username, role, on).await?;
    Ok(redirect_see_other("/admin"))
}

#[derive(Deserialize)]
struct SuspensionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    /// `suspend` or `unsuspend`.
    #[serde(default)]
    change: String,
}

async fn suspension(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<SuspensionForm>,
) -> PageResult {
    csrf::check(&state, &req, &form.csrf)?;
    let by = admin(&state, &req)?;
    let on = match form.change.as_str() {
        "suspend" => true,
        "unsuspend" => false,
        other => return Err(Error::BadRequest(format!("no change {other:?}")).into()),
    };
    set_suspended(&state, &by, &form.username, on).await?;
    Ok(redirect_see_other("/admin"))
}
