//! The reading API's comparisons and READMEs: `GET /api/v1/repos/{id}/compare/{base}...{head}`
//! (commits, merge base and diff, `actors::browse::compare`) and `GET /api/v1/repos/{id}/readme`
//! (`actors::browse::readme`), to whoever may read the repository (`repo_access`).

use super::repo_access::{read_repo, readable_repository, ReadableRepository};
use super::state::AppState;
use crate::error::Result;
use actix_web::{web, HttpRequest, HttpResponse};
use actors::browse::{compare, diff::DiffLimits, readme};
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
    let answer = read_repo(&state, dir, move |repo| {
        compare::compare(repo, &base, &head, &DiffLimits::default())
    })
    .await?;
    Ok(HttpResponse::Ok().json(answer))
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
