//! The reading API's comparisons and READMEs: `GET /api/v1/repos/{id}/compare/{base}...{head}`
//! (commits, merge base and diff, `actors::browse::compare`) and `GET /api/v1/repos/{id}/readme`
//! (`actors::browse::readme`), to whoever may read the repository (`repo_access`).

use super::answer_cache;
use super::repo_access::{read_repo, readable_repository, ReadableRepository};
use super::repo_reads::Answers;
use super::state::AppState;
use crate::error::Result;
use actix_web::web::Bytes;
use actix_web::{web, HttpRequest, HttpResponse};
use actors::browse::compare::Comparison;
use actors::browse::{compare, diff::DiffLimits, readme, revision};
use actors::urls::routes;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(routes::API_REPO_COMPARE, web::get().to(compare_route))
        .route(routes::API_REPO_README, web::get().to(readme_route));
}

async fn compare_route(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse> {
    let (id, range) = path.into_inner();
    let (base, head) = compare::parse_range(&range)?;
    let (base, head) = (base.to_string(), head.to_string());
    let ReadableRepository { dir, .. } = readable_repository(&state, &req, &id).await?;
    let answers = state.repos.answers();
    let place = dir.display().to_string();
    let body = read_repo(&state, dir, move |repo| {
        kept_body(repo, &answers, &place, (&base, &head))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(body))
}

/// The compare route's JSON body for `base...head`: kept by the two commits and the revisions
/// as named, so a repeated comparison is neither diffed nor serialized again.
fn kept_body(
    repo: &gix::Repository,
    answers: &Answers,
    place: &str,
    (base, head): (&str, &str),
) -> actors::error::Result<Bytes> {
    let base_commit = revision::resolve_commit(repo, base)?.to_string();
    let head_commit = revision::resolve_commit(repo, head)?.to_string();
    let key = answer_cache::key("body", &[place, &base_commit, &head_commit, base, head]);
    if let Some(kept) = answers.compare_bodies.get(&key) {
        return Ok((*kept).clone());
    }
    let commits = (base_commit.as_str(), head_commit.as_str());
    let kept = kept_of(repo, answers, place, commits)?;
    let answer = named(&kept, (base, head));
    let body = serde_json::to_vec(&answer)
        .map_err(|e| actors::ActorError::Task(format!("serializing a comparison: {e}")))?;
    let body = Bytes::from(body);
    answers
        .compare_bodies
        .put(key, std::sync::Arc::new(body.clone()));
    Ok(body)
}

/// `base...head` in `repo`, from the kept answers when the same two commits were compared in
/// the same place before (the answer then names the revisions as this client did).
pub fn kept_comparison(
    repo: &gix::Repository,
    answers: &Answers,
    place: &str,
    (base, head): (&str, &str),
) -> actors::error::Result<Comparison> {
    let base_commit = revision::resolve_commit(repo, base)?.to_string();
    let head_commit = revision::resolve_commit(repo, head)?.to_string();
    let commits = (base_commit.as_str(), head_commit.as_str());
    let kept = kept_of(repo, answers, place, commits)?;
    Ok(named(&kept, (base, head)))
}

/// The comparison of two commits (resolved ids) in `place`, kept or computed and kept.
fn kept_of(
    repo: &gix::Repository,
    answers: &Answers,
    place: &str,
    (base_commit, head_commit): (&str, &str),
) -> actors::error::Result<std::sync::Arc<Comparison>> {
    let key = answer_cache::key("compare", &[place, base_commit, head_commit]);
    if let Some(kept) = answers.compares.get(&key) {
        return Ok(kept);
    }
    let fresh = compare::compare(repo, base_commit, head_commit, &DiffLimits::default())?;
    let fresh = std::sync::Arc::new(fresh);
    answers.compares.put(key, fresh.clone());
    Ok(fresh)
}

/// A kept comparison naming the revisions as this client did.
fn named(kept: &Comparison, (base, head): (&str, &str)) -> Comparison {
    let mut answer = kept.clone();
    (answer.base, answer.head) = (base.to_string(), head.to_string());
    answer
}

#[derive(serde::Deserialize)]
struct ReadmeQuery {
    #[serde(rename = "ref")]
    rev: Option<String>,
}

async fn readme_route(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<ReadmeQuery>,
) -> Result<HttpResponse> {
    let id = path.into_inner();
    let ReadableRepository { dir, .. } = readable_repository(&state, &req, &id).await?;
    let rev = query.into_inner().rev;
    let answer = read_repo(&state, dir, move |repo| {
        readme::readme(repo, rev.as_deref())
    })
    .await?;
    Ok(HttpResponse::Ok().json(answer))
}
