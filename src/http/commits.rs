//! The git objects a Push names: `GET /repos/{id}/commits/{hash}` (a ForgeFed `Commit`, read from
//! the repository) and `GET /repos/{id}/branches/{name}` (a `Branch`; `410 Gone` once a branch
//! the push log knows was deleted), `GET /repos/{id}/commits/{hash}.patch` (the commit as `git
//! format-patch` text, `actors::browse::patch`), to whoever may read the repository (`repo_access`).
//! A browser gets the commit page instead (`web::repo::commit`).

use super::activity_json::activity_json;
use super::repo_access::{blocking, readable_repository, ReadableRepository};
use super::state::AppState;
use crate::error::{json_error, Error, Result};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use actors::kinds::repository_git::GetPushLog;
use actors::repository::Repository;
use actors::urls::routes;
use actors::ActorError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(routes::COMMIT, web::get().to(commit))
        .route(routes::BRANCH, web::get().to(branch));
}

async fn commit(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse> {
    let (id, hash) = path.into_inner();
    if crate::web::negotiate::wants_html(&req) && !hash.ends_with(".patch") {
        let page = crate::web::repo::commit::show(&state, &req, &id, &hash).await;
        return Ok(crate::web::error_page::respond(page));
    }
    let ReadableRepository { r, dir, .. } = readable_repository(&state, &req, &id).await?;
    if let Some(hash) = hash.strip_suffix(".patch") {
        return patch(dir, hash.to_string()).await;
    }
    let well_formed =
        hash.len() == 40 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if !well_formed {
        return Err(Error::NotFound(format!("no commit {hash:?} in {id}")));
    }
    let wanted = hash.clone();
    let info = blocking(move || actors::git::read_commit(&dir, &wanted))
        .await?
        .ok_or_else(|| Error::NotFound(format!("no commit {hash} in {id}")))?;
    let doc = actors::git_documents::commit_document(&state.urls, &r, &info);
    Ok(activity_json(&req, &doc))
}

/// `{hash}.patch`: the commit as `git format-patch` text, never rendered by a browser.
async fn patch(dir: std::path::PathBuf, hash: String) -> Result<HttpResponse> {
    let text = blocking(move || actors::browse::patch::format_patch(&dir, &hash)).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(text))
}

async fn branch(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse> {
    let (id, name) = path.into_inner();
    let ReadableRepository { r, dir, .. } = readable_repository(&state, &req, &id).await?;
    let git_ref = format!("refs/heads/{name}");
    let refs = blocking(move || actors::git::read_refs(&dir)).await?;
    if let Some(current) = refs.get(&git_ref) {
        let doc = actors::git_documents::branch_document(&state.urls, &r, &name, current);
        return Ok(activity_json(&req, &doc));
    }
    let log = state
        .registry
        .get::<Repository>(&r.id)
        .await?
        .send(GetPushLog)
        .await
        .map_err(ActorError::from)??;
    let existed = log
        .iter()
        .any(|p| p.updates.iter().any(|u| u.name == git_ref));
    if existed {
        return Ok(json_error(
            StatusCode::GONE,
            &format!("branch {name} of {id} was deleted"),
        ));
    }
    Err(Error::NotFound(format!("no branch {name:?} in {id}")))
}
