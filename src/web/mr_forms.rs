//! The forms of the merge request page, each the activity a C2S client would post, sent through
//! `act::submit` after the CSRF token and the session (`form_guard`), under the merge
//! request's path `{mr}` = `/patch-trackers/{id}/merge-requests/{n}`:
//! `POST {mr}/comments` (`Create{Note}`), `{mr}/close` (`Resolve`) and `{mr}/reopen`
//! (`Undo{Resolve}`, both with `triage`) are the ticket forms' (`ticket_forms`);
//! `POST {mr}/reviews` (verdict `approve` or `revise`, optional content: `Offer{Review}` of the
//! latest version) and `POST {mr}/threads` (file, side, line, content: an `Offer{Review}` with
//! the verdict `remark` opening one `ReviewThread` on that line's `CodeQuote`) need what
//! commenting needs; a review is binding when the person holds `write`.
//! `POST {thread}/reply` (content: `Create{Note}` in the thread); the `write` forms are in
//! `mr_decisions`. Then `303 See Other` back to the page (`mr_target::send_back`).

use super::error_page::PageResult;
use super::form_guard::poster;
use super::grant_of;
use super::merge_request::latest_version;
use super::mr_target::{mr_of, send_back, thread_of, Mr, MrForm};
use super::ticket_forms::{markdown_note, note};
use crate::error::{Error, Result};
use crate::http::state::AppState;
use actix_web::{web, HttpRequest};
use actors::patch_tracker::PatchTracker;
use actors::urls::routes;
use schema::{DiffSide, Role};
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    use super::ticket_forms::{comment, reopen, resolve};
    type P = PatchTracker;
    let mr = |rest: &str| format!("{}/{rest}", routes::MERGE_REQUEST);
    let thread = |rest: &str| format!("{}/{rest}", routes::MR_THREAD);
    cfg.route(&mr("comments"), web::post().to(comment::<P>))
        .route(&mr("close"), web::post().to(resolve::<P>))
        .route(&mr("reopen"), web::post().to(reopen::<P>))
        .route(&mr("reviews"), web::post().to(review))
        .route(&mr("threads"), web::post().to(line_comment))
        .route(&thread("reply"), web::post().to(reply));
    super::mr_decisions::configure(cfg);
}

/// The Offer of a Review of `mr`'s latest version, by `user`, with `threads`: binding, with
/// their Grant, when they hold `write` on the tracker.
async fn offer_review(
    state: &AppState,
    user: &str,
    mr: &Mr,
    verdict: &str,
    summary: Option<Value>,
    threads: Vec<Value>,
) -> Result<Value> {
    let v = latest_version(&mr.doc);
    if v == 0 {
        return Err(Error::BadRequest(
            "the merge request has no version yet".into(),
        ));
    }
    let version = state.urls.mr_version(&mr.r, mr.n, v);
    let held = grant_of::mine(state, user, &mr.tracker).await?;
    let binding = grant_of::allows(&held, Role::Write);
    let mut review = json!({"type": "Review", "context": mr.iri, "verdict": verdict,
        "object": version, "reviewIsBinding": binding});
    if let Some(s) = summary {
        review["attachment"] = s;
    }
    if !threads.is_empty() {
        review["reviewThreads"] = json!(threads);
    }
    let mut offer = json!({"type": "Offer", "to": [mr.tracker, format!("{}/followers", mr.iri)],
        "target": mr.tracker, "object": review});
    if let Some(g) = held.filter(|g| g.role >= Role::Report) {
        offer["capability"] = json!(g.grant);
    }
    Ok(offer)
}

async fn review(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64)>,
    form: web::Form<MrForm>,
) -> PageResult {
    let user = poster(&state, &req, &form.csrf)?;
    let verdict = match form.verdict.as_str() {
        v @ ("approve" | "revise") => v,
        other => return Err(Error::BadRequest(format!("{other:?} is not a verdict")).into()),
    };
    let mr = mr_of(&state, &req, &path.0, path.1).await?;
    let summary = (!form.content.trim().is_empty()).then(|| markdown_note(&form.content));
    let offer = offer_review(&state, &user, &mr, verdict, summary, Vec::new()).await?;
    send_back(&state, &user, &mr, offer, super::answers::WAIT).await
}

/// The CodeQuote of one line the form names.
fn quote(form: &MrForm) -> Result<Value> {
    let bad = |what: &str| Error::BadRequest(format!("the line comment needs {what}"));
    let file = form.file.trim();
    if !schema::code_quote::is_repository_path(file) {
        return Err(bad("the file's path"));
    }
    let side: DiffSide = form.side.parse().map_err(|_| bad("a side (old or new)"))?;
    let line: u64 = (form.line.trim().parse().ok())
        .filter(|l| *l > 0)
        .ok_or_else(|| bad("a line number"))?;
    Ok(json!({"type": "CodeQuote", "cqFile": file, "cqLine": line, "cqSide": side}))
}

async fn line_comment(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64)>,
    form: web::Form<MrForm>,
) -> PageResult {
    let user = poster(&state, &req, &form.csrf)?;
    let target = quote(&form)?;
    if form.content.trim().is_empty() {
        return Err(Error::BadRequest("the comment is empty".into()).into());
    }
    let mr = mr_of(&state, &req, &path.0, path.1).await?;
    let thread = json!({"type": "ReviewThread", "target": target,
                        "object": markdown_note(&form.content)});
    let offer = offer_review(&state, &user, &mr, "remark", None, vec![thread]).await?;
    send_back(&state, &user, &mr, offer, super::answers::WAIT).await
}

async fn reply(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u64, u64, u64)>,
    form: web::Form<MrForm>,
) -> PageResult {
    let user = poster(&state, &req, &form.csrf)?;
    let (id, n, r, t) = path.into_inner();
    let mr = mr_of(&state, &req, &id, n).await?;
    let thread = thread_of(&state, &mr, (n, r, t)).await?;
    let mut create = note(&mr.tracker, &mr.iri, &form.content)?;
    create["object"]["context"] = json!(thread);
    create["object"]["inReplyTo"] = json!(thread);
    let cap = super::ticket_forms::report_capability(&state, &user, &mr.tracker).await?;
    if let Some(c) = cap {
        create["capability"] = json!(c);
    }
    send_back(&state, &user, &mr, create, super::answers::WAIT).await
}
