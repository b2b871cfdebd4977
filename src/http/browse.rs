//! The repository browsing API, JSON: `GET /api/v1/repos/{id}/refs`, `.../commits?ref=&path=
//! &cursor=&limit=`, `.../tree/{ref}/{path...}` and `.../blob/{ref}/{path...}` (the bytes
//! themselves: `browse_raw`, which shares `read_at_spec`). Each reads through `repo_access` (who may read; 404/410) and
//! `actors::browse` on a blocking thread; a malformed ref, path or cursor is 400, a missing one
//! 404 with a reason.

use super::answer_cache;
use super::repo_access::{read_repo, readable_repository, ReadableRepository};
use super::state::AppState;
use crate::error::Result;
use actix_web::{web, HttpRequest, HttpResponse};
use actors::browse::log::{Cursor, LogQuery, DEFAULT_LIMIT};
use actors::browse::{blob, log, refs, revision, tree};
use actors::urls::routes;
use serde::Deserialize;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(routes::API_REPO_REFS, web::get().to(get_refs))
        .route(routes::API_REPO_COMMITS, web::get().to(get_commits))
        .route(routes::API_REPO_TREE, web::get().to(get_tree))
        .route(routes::API_REPO_BLOB, web::get().to(get_blob));
}

async fn get_refs(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse> {
    let ReadableRepository { dir, .. } = readable_repository(&state, &req, &id).await?;
    let list = read_repo(&state, dir, refs::list).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// A log as a client asks for it (`?ref=&path=&cursor=&limit=`).
#[derive(Deserialize, Default)]
pub struct LogParams {
    #[serde(rename = "ref")]
    pub rev: Option<String>,
    pub path: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<usize>,
}

async fn get_commits(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    params: web::Query<LogParams>,
) -> Result<HttpResponse> {
    let readable = readable_repository(&state, &req, &id).await?;
    let page = read_log(&state, readable, params.into_inner()).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One page of the log of a readable repository: from the cursor's tip (which must be a commit
/// of the repository) or from `rev` (default `HEAD`), filtered by `path`.
pub async fn read_log(
    state: &AppState,
    readable: ReadableRepository,
    params: LogParams,
) -> Result<log::LogPage> {
    let ReadableRepository { r, dir, .. } = readable;
    let cursor = params.cursor.as_deref().map(Cursor::parse).transpose()?;
    let urls = state.urls.clone();
    let answers = state.repos.answers();
    let place = format!("{}\0{}", dir.display(), r.id);
    read_repo(state, dir, move |repo| {
        let path = params.path.unwrap_or_default();
        let parts = revision::check_path(&path)?;
        let tip = match cursor {
            Some(c) if repo.find_commit(c.tip).is_ok() => c.tip,
            Some(_) => {
                let why = "the cursor names no commit of this repository: use the `next` of a page";
                return Err(actors::ActorError::Invalid(why.into()));
            }
            None => revision::resolve_commit(repo, params.rev.as_deref().unwrap_or("HEAD"))?,
        };
        let query = LogQuery {
            tip,
            after: cursor.map(|c| c.after),
            path: &parts,
            limit: params.limit.unwrap_or(DEFAULT_LIMIT),
        };
        let (tip, after) = (tip.to_string(), query.after.map(|a| a.to_string()));
        let limit = query.limit.to_string();
        let after = after.as_deref().unwrap_or("");
        let key = answer_cache::key("log", &[&place, &tip, after, &path, &limit]);
        if let Some(kept) = answers.logs.get(&key) {
            return Ok((*kept).clone());
        }
        let page = log::page(repo, &urls, &r, &query)?;
        answers.logs.put(key, std::sync::Arc::new(page.clone()));
        Ok(page)
    })
    .await
}

/// Reads `read` at the `{ref}/{path...}` of a `/tree`, `/blob` or `/raw` route: the repository
/// the request may read, the ref split off the path (`revision::split_spec`), the path checked.
pub async fn read_at_spec<T: Send + 'static>(
    state: &AppState,
    req: &HttpRequest,
    (id, spec): (String, String),
    read: revision::ReadAt<T>,
) -> Result<T> {
    let ReadableRepository { dir, .. } = readable_repository(state, req, &id).await?;
    read_in(state, dir, spec, read).await
}

/// Reads `read` at `spec` (`{ref}/{path...}`) of the bare repository `dir`, already gated.
pub async fn read_in<T: Send + 'static>(
    state: &AppState,
    dir: std::path::PathBuf,
    spec: String,
    read: revision::ReadAt<T>,
) -> Result<T> {
    read_repo(state, dir, move |repo| {
        let (commit, rev, rest) = revision::split_spec(repo, &spec)?;
        read(repo, commit, &revision::check_path(rest)?, rev)
    })
    .await
}

async fn get_tree(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse> {
    let listing = read_at_spec(&state, &req, path.into_inner(), tree::list).await?;
    Ok(HttpResponse::Ok().json(listing))
}

async fn get_blob(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse> {
    let view = read_at_spec(&state, &req, path.into_inner(), blob::view).await?;
    Ok(HttpResponse::Ok().json(view))
}
