//! The front page `/`: what this instance is, its public repositories (newest first, and the
//! most starred), and the ways to sign in or up. The reading is `actors::data::listings`, as
//! for `GET /api/v1/repos`.

use super::error_page::PageResult;
use super::items::ListItem;
use super::page::{chrome, render, Chrome};
use crate::http::repo_access::blocking;
use crate::http::state::AppState;
use actix_web::{web, HttpRequest};
use actors::data::listings::{repositories_page, MAX_LIMIT};
use askama::Template;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(front));
}

#[derive(Template)]
#[template(path = "front.html")]
struct Front {
    chrome: Chrome,
    registration: bool,
    newest: Vec<ListItem>,
    starred: Vec<ListItem>,
}

/// How many repositories each list shows.
const SHOWN: usize = 10;

async fn front(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let chrome = chrome(&state, &req)?;
    let env = state.registry.env().clone();
    let page = blocking(move || repositories_page(&env, None, MAX_LIMIT)).await?;
    let mut items: Vec<ListItem> = page.items.iter().map(ListItem::from_summary).collect();
    items.sort_by(|a, b| b.published.cmp(&a.published).then(a.path.cmp(&b.path)));
    let newest: Vec<ListItem> = items.drain(..items.len().min(SHOWN)).collect();
    let mut starred: Vec<ListItem> = newest
        .iter()
        .chain(items.iter())
        .filter(|r| r.stars > 0)
        .cloned()
        .collect();
    starred.sort_by(|a, b| b.stars.cmp(&a.stars).then(a.path.cmp(&b.path)));
    starred.truncate(SHOWN);
    Ok(render(&Front {
        chrome,
        registration: state.settings.accounts.registration,
        newest,
        starred,
    })?)
}
