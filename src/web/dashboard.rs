//! The dashboard `/dashboard` of the signed-in person: their repositories, trackers, projects
//! and factories (`actors::grants::held`, as the listing API reads them), the remote resources
//! they hold Grants on, and their notifications (`notifications`). `POST
//! /dashboard/notifications/read` marks the shown notifications read.

use super::csrf;
use super::error_page::PageResult;
use super::items::{held, ListItem};
use super::notifications::{self, Notification};
use super::page::{chrome, redirect_see_other, render, Chrome};
use super::remote_summary::{remote_for, RemoteSummary};
use super::session;
use crate::http::state::AppState;
use actix_web::{web, HttpRequest};
use actors::audience::Reader;
use actors::ActorKind;
use askama::Template;
use serde::Deserialize;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/dashboard", web::get().to(dashboard))
        .route("/dashboard/notifications/read", web::post().to(mark_read));
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard {
    chrome: Chrome,
    repositories: Vec<ListItem>,
    trackers: Vec<ListItem>,
    projects: Vec<ListItem>,
    factories: Vec<ListItem>,
    /// Tickets opened and resources writable on other instances (`remote_summary`).
    remote: RemoteSummary,
    notifications: Vec<Notification>,
    /// Inbox items when the page was made (what "mark read" marks).
    total: u64,
    next: Option<u64>,
    prev: Option<u64>,
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<u64>,
}

async fn dashboard(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> PageResult {
    let user = session::require_signed_in(&state, &req)?;
    let chrome = chrome(&state, &req)?;
    let mine = |kind| held(&state, &user, kind, Reader::Owner);
    let repositories = mine(ActorKind::Repository).await?.unwrap_or_default();
    let trackers = mine(ActorKind::TicketTracker).await?.unwrap_or_default();
    let projects = mine(ActorKind::Project).await?.unwrap_or_default();
    let factories = mine(ActorKind::Factory).await?.unwrap_or_default();
    let page = query.page.unwrap_or(1).max(1);
    let feed = notifications::feed(&state, &user, page).await?;
    Ok(render(&Dashboard {
        chrome,
        repositories,
        trackers,
        projects,
        factories,
        remote: remote_for(&state, &user).await?,
        notifications: feed.items,
        total: feed.total,
        next: feed.more.then_some(page + 1),
        prev: (page > 1).then(|| page - 1),
    })?)
}

#[derive(Deserialize)]
struct MarkRead {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    upto: u64,
}

async fn mark_read(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<MarkRead>,
) -> PageResult {
    csrf::check(&state, &req, &form.csrf)?;
    let user = session::require_signed_in(&state, &req)?;
    actors::data::notifications::mark_read(state.registry.env(), &user, form.upto).await?;
    Ok(redirect_see_other("/dashboard"))
}
