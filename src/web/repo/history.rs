//! The commit log (`GET /repos/{id}/log[/{ref}]?path=&cursor=`: the default branch when no ref
//! is named — none yet in an empty repository —, filtered by path, a page at a time with a link
//! to the next) and the branches and
//! tags page (`GET /repos/{id}/refs`), read by `http::browse::read_log` and
//! `actors::browse::refs` after the page's gate.

use super::access::{open, Header};
use super::files::{history, tree_link};
use super::views::{commit_rows, encode, CommitRow};
use crate::error::{Error, Result};
use crate::http::browse::{read_log, LogParams};
use crate::http::repo_access::read_repo;
use crate::http::state::AppState;
use crate::web::error_page::PageResult;
use crate::web::page::{chrome, render, Chrome};
use actix_web::{web, HttpRequest, HttpResponse};
use actors::browse::{log, refs};
use actors::ActorError;
use askama::Template;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "repo/log.html")]
struct LogPage {
    chrome: Chrome,
    header: Header,
    tab: &'static str,
    rev: String,
    path: String,
    commits: Vec<CommitRow>,
    next: Option<String>,
}

/// A branch or tag row.
struct RefRow {
    name: String,
    short: String,
    tree: String,
    log: String,
    commit: String,
    annotated: bool,
}

#[derive(Template)]
#[template(path = "repo/refs.html")]
struct RefsPage {
    chrome: Chrome,
    header: Header,
    tab: &'static str,
    default_branch: Option<String>,
    branches: Vec<RefRow>,
    tags: Vec<RefRow>,
}

/// The query of a log page.
#[derive(Deserialize)]
pub struct LogQuery {
    path: Option<String>,
    cursor: Option<String>,
}

/// `GET /repos/{id}/log`: the default branch's log.
pub async fn log_default(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<LogQuery>,
) -> PageResult {
    Ok(log(
        &req,
        &state,
        id.into_inner(),
        "HEAD".into(),
        query.into_inner(),
    )
    .await?)
}

/// `GET /repos/{id}/log/{ref}`.
pub async fn log_at(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    query: web::Query<LogQuery>,
) -> PageResult {
    let (id, rev) = path.into_inner();
    Ok(log(&req, &state, id, rev, query.into_inner()).await?)
}

async fn log(
    req: &HttpRequest,
    state: &AppState,
    id: String,
    rev: String,
    query: LogQuery,
) -> Result<HttpResponse> {
    let opened = open(state, req, &id).await?;
    let path = query.path.unwrap_or_default();
    let params = LogParams {
        rev: Some(rev.clone()),
        path: Some(path.clone()),
        cursor: query.cursor,
        limit: None,
    };
    let first = params.cursor.is_none();
    let page = match read_log(state, opened.readable, params).await {
        // The default branch of an empty repository names no commit yet.
        Err(Error::Actor(ActorError::NotFound(_))) if rev == "HEAD" && first => log::LogPage {
            commits: Vec::new(),
            next: None,
        },
        other => other?,
    };
    let header = opened.header;
    let next = page.next.map(|cursor| {
        let query: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("path", &path)
            .append_pair("cursor", &cursor)
            .finish();
        format!("{}/log/{}?{query}", header.base, encode(&rev))
    });
    render(&LogPage {
        chrome: chrome(state, req)?,
        tab: "log",
        commits: commit_rows(&header.base, &page.commits),
        next,
        rev,
        path,
        header,
    })
}

fn row(base: &str, name: &str, commit: &str, annotated: bool) -> RefRow {
    RefRow {
        name: name.to_string(),
        short: commit.chars().take(10).collect(),
        tree: tree_link(base, name),
        log: history(base, name, ""),
        commit: format!("{base}/commits/{commit}"),
        annotated,
    }
}

/// `GET /repos/{id}/refs`: the branches and tags.
pub async fn refs_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> PageResult {
    let opened = open(&state, &req, &id).await?;
    let dir = opened.readable.dir.clone();
    let list = read_repo(&state, dir, refs::list).await?;
    let base = &opened.header.base;
    let branches = (list.branches.iter())
        .map(|b| row(base, &b.name, &b.commit, false))
        .collect();
    let tags = (list.tags.iter())
        .filter_map(|t| Some(row(base, &t.name, t.commit.as_deref()?, t.annotated)))
        .collect();
    Ok(render(&RefsPage {
        chrome: chrome(&state, &req)?,
        tab: "refs",
        default_branch: list.default_branch,
        branches,
        tags,
        header: opened.header,
    })?)
}
