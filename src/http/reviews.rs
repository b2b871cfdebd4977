//! The reviews of a PatchTracker's merge requests, read-only: `GET {mr}/reviews[?page=N]`
//! (Reviews, oldest first), `{mr}/reviews/{r}` (a Review, its threads embedded),
//! `{review}/threads/{t}` (a ReviewThread), `{thread}/replies[?page=N]` (its Notes, oldest
//! first), `{thread}/comments/{seq}`, `{mr}/approvals[?page=N]` (`individualApprovals`, newest
//! change first) and `{mr}/approvals/{a}` (an Approval). Reviews are submitted, commented on,
//! resolved and dismissed with activities (see `actors::activities::merge_requests::review*`).
//! Registered before the generic `/{segment}/{id}/{collection}` route.

use super::state::AppState;
use crate::error::{Error, Result};
use actix_web::{web, HttpRequest, HttpResponse};
use actors::kinds::patch_tracker::PatchTracker;
use actors::kinds::patch_tracker_reviews::{GetReviewPart, ReviewRead};
use actors::urls::{routes, ThreadId};
use serde::Deserialize;

/// The parts of a review route's path; which are present depends on the route.
#[derive(Deserialize)]
struct PartPath {
    id: String,
    n: u64,
    r: Option<u64>,
    t: Option<u64>,
    seq: Option<u64>,
    a: Option<u64>,
}

impl PartPath {
    fn thread(&self) -> Option<ThreadId> {
        Some(ThreadId {
            n: self.n,
            r: self.r?,
            t: self.t?,
        })
    }
}

/// What a route reads, from its path.
type Read = fn(&PartPath) -> Option<ReviewRead>;

/// The paged collections.
const COLLECTIONS: [(&str, Read); 3] = [
    (routes::MR_REVIEWS, |p| Some(ReviewRead::Reviews(p.n))),
    (routes::MR_THREAD_REPLIES, |p| {
        p.thread().map(ReviewRead::Replies)
    }),
    (routes::MR_APPROVALS, |p| Some(ReviewRead::Approvals(p.n))),
];

/// The documents.
const DOCUMENTS: [(&str, Read); 4] = [
    (routes::MR_REVIEW, |p| Some(ReviewRead::Review(p.n, p.r?))),
    (routes::MR_THREAD, |p| p.thread().map(ReviewRead::Thread)),
    (routes::MR_THREAD_COMMENT, |p| {
        Some(ReviewRead::Comment(p.thread()?, p.seq?))
    }),
    (routes::MR_APPROVAL, |p| {
        Some(ReviewRead::Approval(p.n, p.a?))
    }),
];

pub fn configure(cfg: &mut web::ServiceConfig) {
    for (route, read) in COLLECTIONS {
        let handler = move |req, state, path, q: web::Query<PageQuery>| {
            ask(req, state, path, read, q.into_inner().page)
        };
        cfg.route(route, web::get().to(handler));
    }
    for (route, read) in DOCUMENTS {
        let handler = move |req, state, path| ask(req, state, path, read, None);
        cfg.route(route, web::get().to(handler));
    }
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<u64>,
}

/// Asks the tracker `id` for the review part `read` names: 404 when there is no such tracker,
/// merge request, review, thread, comment, approval or page.
async fn ask(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<PartPath>,
    read: Read,
    page: Option<u64>,
) -> Result<HttpResponse> {
    let read = read(&path).ok_or_else(|| Error::NotFound("no such review part here".into()))?;
    let msg = GetReviewPart { read, page };
    super::tickets::ask::<PatchTracker, _>(&req, &state, &path.id, msg).await
}
