//! The reviews of a PatchTracker's merge requests, read-only: `GET {mr}/reviews[?page=N]`
//! (Reviews, oldest first), `{mr}/reviews/{r}` (a Review, its threads embedded),
//! `{review}/threads/{t}` (a ReviewThread), `{thread}/replies[?page=N]` (its Notes, oldest
//! first), `{thread}/comments/{seq}`, `{mr}/approvals[?page=N]` (`individualApprovals`, newest
//! change first) and `{mr}/approvals/{a}` (an Approval). Reviews are submitted, commented on,
//! resolved and dismissed with activities (see `actors::activities::merge_requests::review*`).
//! Registered before the generic `/{segment}/{id}/{collection}` route.

use super::activity_json::activity_json;
use super::state::AppState;
use crate::error::{Error, Result};
use actix_web::{web, HttpRequest, HttpResponse};
use actors::kinds::patch_tracker::PatchTracker;
use actors::kinds::patch_tracker_reviews::{GetReviewPart, ReviewRead};
use actors::urls::{routes, ThreadId};
use serde::Deserialize;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(routes::MR_REVIEWS, web::get().to(reviews))
        .route(routes::MR_REVIEW, web::get().to(review))
        .route(routes::MR_THREAD, web::get().to(thread))
        .route(routes::MR_THREAD_REPLIES, web::get().to(replies))
        .route(routes::MR_THREAD_COMMENT, web::get().to(comment))
        .route(routes::MR_APPROVALS, web::get().to(approvals))
        .route(routes::MR_APPROVAL, web::get().to(approval));
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<u64>,
}

/// Asks the tracker `id` for a review part: 404 when there is no such tracker, merge request,
/// review, thread, comment, approval or page.
async fn ask(
    req: &HttpRequest,
    state: &AppState,
    id: &str,
    read: ReviewRead,
    page: Option<u64>,
) -> Result<HttpResponse> {
    super::outbox::actor_from_path(state, req, "patch-trackers", id)?;
    let addr = state.registry.get::<PatchTracker>(id).await?;
    let doc = addr
        .send(GetReviewPart { read, page })
        .await
        .map_err(actors::ActorError::from)?
        .map_err(|e| match e {
            actors::ActorError::NotFound(what) => Error::NotFound(format!("no {what} here")),
            other => other.into(),
        })?;
    Ok(activity_json(req, &doc))
}

async fn reviews(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64)>,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse> {
    let (id, n) = path.into_inner();
    ask(&req, &state, &id, ReviewRead::Reviews(n), q.page).await
}

async fn review(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64, u64)>,
) -> Result<HttpResponse> {
    let (id, n, r) = path.into_inner();
    ask(&req, &state, &id, ReviewRead::Review(n, r), None).await
}

async fn thread(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64, u64, u64)>,
) -> Result<HttpResponse> {
    let (id, n, r, t) = path.into_inner();
    ask(
        &req,
        &state,
        &id,
        ReviewRead::Thread(ThreadId { n, r, t }),
        None,
    )
    .await
}

async fn replies(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64, u64, u64)>,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse> {
    let (id, n, r, t) = path.into_inner();
    ask(
        &req,
        &state,
        &id,
        ReviewRead::Replies(ThreadId { n, r, t }),
        q.page,
    )
    .await
}

async fn comment(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64, u64, u64, u64)>,
) -> Result<HttpResponse> {
    let (id, n, r, t, seq) = path.into_inner();
    ask(
        &req,
        &state,
        &id,
        ReviewRead::Comment(ThreadId { n, r, t }, seq),
        None,
    )
    .await
}

async fn approvals(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64)>,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse> {
    let (id, n) = path.into_inner();
    ask(&req, &state, &id, ReviewRead::Approvals(n), q.page).await
}

async fn approval(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64, u64)>,
) -> Result<HttpResponse> {
    let (id, n, a) = path.into_inner();
    ask(&req, &state, &id, ReviewRead::Approval(n, a), None).await
}
