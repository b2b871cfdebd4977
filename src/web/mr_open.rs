//! Opening a merge request from the web, from a repository of this instance the signed-in
//! person may write to (their fork) to a repository here or elsewhere:
//! `GET /merge-requests/new?repo=<id>[&target=<repository IRI>]` shows the form (the source
//! branch, the target repository, by default the source's `origin`, with its PatchTracker and
//! default branch, the title and the Markdown description); `POST /merge-requests/new`
//! (fields `repo`, `branch`, `target`, `target_branch`, `summary`, `content`) sends the
//! `Offer{Ticket}` of `mr_open_target` to the target's tracker (its `sendPatchesTo`). 403
//! without a `write` Grant on the source repository, 400 for a target without a PatchTracker
//! or a branch the source does not have; nothing sent. On the tracker's Accept it goes to the
//! merge request (its page here, or its look-up page); else back to the form, whose `&sent=`
//! shows the refusal.

use super::act::submit;
use super::answers::answer_to;
use super::error_page::PageResult;
use super::fork_forms::{iri_or_path, GIT_WAIT};
use super::form_guard::{enc, local_path, poster};
use super::grant_of;
use super::lookup::sent_text;
use super::lookup_forms::back_to;
use super::mr_open_target::{merge_request_offer, target, Proposed};
use super::page::{chrome, redirect_see_other, render, Chrome};
use super::repo::access::{open, Header, Opened};
use super::session;
use super::ticket_forms::report_capability;
use crate::error::{Error, Result};
use crate::http::repo_access::read_repo;
use crate::http::state::AppState;
use actix_web::{web, HttpRequest};
use askama::Template;
use schema::Role;
use serde::Deserialize;
use url::Url;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/merge-requests/new", web::get().to(page))
        .route("/merge-requests/new", web::post().to(open_mr));
}

#[derive(Template)]
#[template(path = "remote/mr_open.html")]
struct MrOpenPage {
    chrome: Chrome,
    header: Header,
    tab: &'static str,
    branches: Vec<String>,
    /// The branch selected first: the first that is not the default branch.
    chosen: String,
    target: String,
    target_name: String,
    tracker: String,
    target_branch: String,
    /// Why the target cannot take the merge request ("" when it can, or none is named).
    problem: String,
    sent: String,
}

#[derive(Deserialize)]
struct NewQuery {
    #[serde(default)]
    repo: String,
    #[serde(default)]
    target: String,
    sent: Option<String>,
}

#[derive(Deserialize)]
struct NewForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    repo: String,
    #[serde(default)]
    branch: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    target_branch: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    content: String,
}

/// The source repository `id` as `user` may open merge requests from it: readable, and a
/// `write` Grant on it (403 otherwise); its IRI and branches.
async fn source(
    state: &AppState,
    req: &HttpRequest,
    user: &str,
    id: &str,
) -> Result<(Opened, Url, Vec<String>)> {
    let opened = open(state, req, id).await?;
    let iri = state.urls.actor(&opened.readable.r);
    grant_of::require(state, user, &iri, Role::Write).await?;
    let dir = opened.readable.dir.clone();
    let refs = read_repo(state, dir, actors::browse::refs::list).await?;
    let branches = refs.branches.into_iter().map(|b| b.name).collect();
    Ok((opened, iri, branches))
}

async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<NewQuery>,
) -> PageResult {
    let user = session::require_signed_in(&state, &req)?;
    let chrome = chrome(&state, &req)?;
    let (opened, _, branches) = source(&state, &req, &user, &query.repo).await?;
    let origin = opened.doc.extra.get("origin").and_then(|o| o.as_str());
    let named = Some(query.target.trim()).filter(|t| !t.is_empty());
    let target_text = named.or(origin).unwrap_or_default().to_string();
    let (mut target_name, mut tracker, mut target_branch, mut problem) = Default::default();
    if !target_text.is_empty() {
        let found = match iri_or_path(&state, &target_text) {
            Ok(iri) => target(&state, &req, &user, &iri).await,
            Err(e) => Err(e),
        };
        match found {
            Ok(t) => {
                (target_name, tracker, target_branch) =
                    (t.name, t.tracker.to_string(), t.default_branch)
            }
            Err(e) => problem = super::lookup::shown_error(&e),
        }
    }
    let default = opened.header.default_branch.as_deref();
    let chosen = (branches.iter().find(|b| Some(b.as_str()) != default))
        .or(branches.first())
        .cloned()
        .unwrap_or_default();
    Ok(render(&MrOpenPage {
        chrome,
        header: opened.header,
        tab: "code",
        branches,
        chosen,
        target: target_text,
        target_name,
        tracker,
        target_branch,
        problem,
        sent: sent_text(&state, &user, query.sent.as_deref()).await?,
    })?)
}

async fn open_mr(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<NewForm>,
) -> PageResult {
    let user = poster(&state, &req, &form.csrf)?;
    let (opened, source_iri, branches) = source(&state, &req, &user, &form.repo).await?;
    let target = target(&state, &req, &user, &iri_or_path(&state, &form.target)?).await?;
    let branch = form.branch.trim();
    if !branches.iter().any(|b| b == branch) {
        let name = &opened.header.name;
        return Err(Error::BadRequest(format!("{name} has no branch {branch:?}")).into());
    }
    let target_branch = match form.target_branch.trim() {
        "" => target.default_branch.as_str(),
        named => named,
    };
    actors::browse::revision::check_ref(target_branch)
        .map_err(|_| Error::BadRequest(format!("{target_branch:?} is not a branch name")))?;
    let cap = report_capability(&state, &user, &target.tracker).await?;
    let proposed = Proposed {
        source: (&source_iri, branch, {
            state.urls.branch(&opened.readable.r, branch)
        }),
        target: &target,
        target_branch,
        summary: &form.summary,
        content: &form.content,
    };
    let id = submit(&state, &user, merge_request_offer(&proposed, cap.as_ref())?).await?;
    let answer = answer_to(&state, &user, &id, GIT_WAIT).await?;
    let made = answer
        .filter(|a| a["type"] == "Accept")
        .and_then(|a| a["result"].as_str().and_then(|r| Url::parse(r).ok()));
    Ok(redirect_see_other(&match made {
        Some(mr) if state.urls.is_local(&mr) => local_path(&state, mr.as_str()),
        Some(mr) => back_to(&mr, &id),
        None => format!(
            "/merge-requests/new?repo={}&target={}&sent={}",
            enc(&opened.header.id),
            enc(target.iri.as_str()),
            enc(id.as_str())
        ),
    }))
}
