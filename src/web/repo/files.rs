//! The tree browser (`GET /repos/{id}/tree/{ref}/{path...}`) and the file view (`GET
//! /repos/{id}/blob/{ref}/{path...}`): read by `http::browse::read_in` (the ref split off the
//! path, the path checked) after the page's gate; the file highlighted by `highlight` on a
//! blocking thread, with line numbers and `#L12` anchors, and a link to its raw bytes
//! (`/api/v1/repos/{id}/raw/...`, served sandboxed).

use super::access::{open, Header};
use super::highlight::{line_count, Highlighter, Shown};
use super::views::{crumbs, encode, entry_rows, human_size, link, rev_of, Crumb, EntryRow};
use crate::error::Result;
use crate::http::browse::read_in;
use crate::http::repo_access::blocking;
use crate::http::state::AppState;
use crate::web::error_page::PageResult;
use crate::web::page::{chrome, render, Chrome};
use actix_web::{web, HttpRequest};
use actors::browse::{blob, tree};
use askama::Template;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "repo/tree.html")]
struct TreePage {
    chrome: Chrome,
    header: Header,
    tab: &'static str,
    rev: String,
    path: String,
    crumbs: Vec<Crumb>,
    entries: Vec<EntryRow>,
    history: String,
}

#[derive(Template)]
#[template(path = "repo/blob.html")]
struct BlobPage {
    chrome: Chrome,
    header: Header,
    tab: &'static str,
    rev: String,
    path: String,
    crumbs: Vec<Crumb>,
    size: String,
    raw: String,
    history: String,
    lines: usize,
    text: Option<String>,
    shown: Arc<Shown>,
    binary: bool,
    too_large: bool,
}

/// The log page of `path` at `rev`.
pub fn history(base: &str, rev: &str, path: &str) -> String {
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("path", path)
        .finish();
    format!("{base}/log/{}?{query}", encode(rev))
}

/// `GET /repos/{id}/tree/{ref}/{path...}`.
pub async fn tree_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> PageResult {
    let (id, spec) = path.into_inner();
    let opened = open(&state, &req, &id).await?;
    let listing = read_in(&state, opened.readable.dir, spec.clone(), tree::list).await?;
    let rev = rev_of(&spec, &listing.path);
    let header = opened.header;
    Ok(render(&TreePage {
        chrome: chrome(&state, &req)?,
        tab: "code",
        crumbs: crumbs(&header.base, &rev, &listing.path),
        entries: entry_rows(&header.base, &rev, &listing.entries),
        history: history(&header.base, &rev, &listing.path),
        path: listing.path,
        rev,
        header,
    })?)
}

/// `GET /repos/{id}/blob/{ref}/{path...}`.
pub async fn blob_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    highlighter: web::Data<Highlighter>,
    path: web::Path<(String, String)>,
) -> PageResult {
    let (id, spec) = path.into_inner();
    let opened = open(&state, &req, &id).await?;
    let mut view = read_in(&state, opened.readable.dir, spec.clone(), blob::view).await?;
    let rev = rev_of(&spec, &view.path);
    let text = view.text.take();
    let (shown, text) = highlighted(highlighter.into_inner(), &view, text).await?;
    let header = opened.header;
    let parent = view.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    Ok(render(&BlobPage {
        chrome: chrome(&state, &req)?,
        tab: "code",
        crumbs: crumbs(&header.base, &rev, parent),
        size: human_size(view.size),
        raw: format!(
            "/api/v1/repos/{}/raw/{}/{}",
            encode(&header.id),
            encode(&rev),
            encode(&view.path)
        ),
        history: history(&header.base, &rev, &view.path),
        lines: text.as_deref().map(line_count).unwrap_or(0),
        text,
        shown,
        binary: view.binary == Some(true),
        too_large: view.too_large,
        path: view.path,
        rev,
        header,
    })?)
}

/// The text highlighted on a blocking thread (it is CPU work of up to a few milliseconds).
async fn highlighted(
    highlighter: Arc<Highlighter>,
    view: &blob::BlobView,
    text: Option<String>,
) -> Result<(Arc<Shown>, Option<String>)> {
    let (id, path) = (view.id.clone(), view.path.clone());
    blocking(move || {
        let shown = match &text {
            Some(t) => highlighter.show_blob(&id, &path, t),
            None => Arc::new(Shown::Plain),
        };
        Ok((shown, text))
    })
    .await
}

/// The link of the tree page of `rev` (for the refs page).
pub fn tree_link(base: &str, rev: &str) -> String {
    link(base, "tree", rev, "")
}
