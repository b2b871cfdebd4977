//! The merge request page's forms that need a `write` Grant on the PatchTracker (403 without
//! one, nothing sent): `POST {thread}/resolve` (`Resolve` of the thread) and
//! `POST {thread}/unresolve` (`Undo{Resolve}`), `POST {mr}/approvals/{a}/dismiss` (`Undo` of
//! the Approval) and `POST {mr}/merge` (`Apply` of the merge request into its target branch,
//! waiting for the merge job; a conflict's Reject is shown on the page). Each is sent through
//! `mr_target::send_back`.

use super::answers::{CREATE_WAIT, WAIT};
use super::error_page::PageResult;
use super::form_guard::poster;
use super::grant_of;
use super::mr_target::{mr_of, send_back, thread_of, Mr, MrForm};
use crate::error::{Error, Result};
use crate::http::state::AppState;
use actix_web::{web, HttpRequest};
use actors::urls::routes;
use schema::Role;
use serde_json::json;
use url::Url;

pub fn configure(cfg: &mut web::ServiceConfig) {
    let thread = |rest: &str| format!("{}/{rest}", routes::MR_THREAD);
    cfg.route(&thread("resolve"), web::post().to(resolve))
        .route(&thread("unresolve"), web::post().to(unresolve))
        .route(
            &format!("{}/dismiss", routes::MR_APPROVAL),
            web::post().to(dismiss),
        )
        .route(
            &format!("{}/merge", routes::MERGE_REQUEST),
            web::post().to(merge),
        );
}

/// The signed-in poster, the merge request and their `write` Grant on its tracker.
async fn writer(
    state: &AppState,
    req: &HttpRequest,
    csrf: &str,
    (id, n): (&str, u64),
) -> Result<(String, Mr, Url)> {
    let user = poster(state, req, csrf)?;
    let mr = mr_of(state, req, id, n).await?;
    let grant = grant_of::require(state, &user, &mr.tracker, Role::Write).await?;
    Ok((user, mr, grant.grant))
}

async fn resolve(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64, u64, u64)>,
    form: web::Form<MrForm>,
) -> PageResult {
    set_thread(&req, &state, path.into_inner(), &form.csrf, true).await
}

async fn unresolve(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64, u64, u64)>,
    form: web::Form<MrForm>,
) -> PageResult {
    set_thread(&req, &state, path.into_inner(), &form.csrf, false).await
}

/// Resolves (`resolve`) or unresolves the thread `t` of review `r` of merge request `n`.
async fn set_thread(
    req: &HttpRequest,
    state: &AppState,
    (id, n, r, t): (String, u64, u64, u64),
    csrf: &str,
    resolve: bool,
) -> PageResult {
    let (user, mr, grant) = writer(state, req, csrf, (&id, n)).await?;
    let thread = thread_of(state, &mr, (n, r, t)).await?;
    let activity = match resolve {
        true => json!({"type": "Resolve", "object": thread, "to": [mr.tracker],
                       "capability": grant}),
        false => json!({"type": "Undo", "to": [mr.tracker], "capability": grant,
                        "object": {"type": "Resolve", "object": thread}}),
    };
    send_back(state, &user, &mr, activity, WAIT).await
}

async fn dismiss(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64, u64)>,
    form: web::Form<MrForm>,
) -> PageResult {
    let (id, n, a) = path.into_inner();
    let (user, mr, grant) = writer(&state, &req, &form.csrf, (&id, n)).await?;
    let approval = state.urls.mr_approval(&mr.r, n, a);
    let undo = json!({"type": "Undo", "object": approval, "to": [mr.tracker],
                      "capability": grant});
    send_back(&state, &user, &mr, undo, WAIT).await
}

async fn merge(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64)>,
    form: web::Form<MrForm>,
) -> PageResult {
    let (user, mr, grant) = writer(&state, &req, &form.csrf, (&path.0, path.1)).await?;
    let target = mr.doc["attachment"]["target"].clone();
    if target.is_null() {
        return Err(Error::NotFound("this merge request has no target".into()).into());
    }
    let apply = json!({"type": "Apply", "object": mr.iri, "target": target,
                       "to": [mr.tracker], "capability": grant});
    send_back(&state, &user, &mr, apply, CREATE_WAIT).await
}
