//! Forking from the web (ForgeFed "Forks and Migrations"): `GET /fork?origin=<repository>`
//! (an IRI, or a path of this instance) shows the fork form: the Factories of this instance
//! the signed-in person holds `write` on that create repositories, or another instance's
//! Factory pasted by IRI, and the new repository's name. `POST /fork` (fields `origin`,
//! `factory`, `other_factory`, `name`) sends the `Create{Repository, origin}` a C2S client
//! would post, addressed to the Factory and the origin, with the person's `write` Grant on the
//! Factory (403 without one, nothing sent). On the Factory's Accept it goes to the fork (its
//! page here, or its look-up page when the fork is elsewhere); otherwise back to the form,
//! whose `&sent=` shows the refusal (a private origin the person may not read, ...).

use super::act::submit;
use super::answers::answer_to;
use super::create_forms::{create_activity, usable_factories, CreateForm};
use super::error_page::PageResult;
use super::form_guard::{enc, local_path, poster};
use super::grant_of;
use super::lookup::sent_text;
use super::lookup_forms::{back_to, iri};
use super::page::{chrome, redirect_see_other, render, Chrome};
use super::session;
use crate::error::{Error, Result};
use crate::http::state::AppState;
use actix_web::{web, HttpRequest};
use askama::Template;
use schema::Role;
use serde::Deserialize;
use serde_json::json;
use std::time::Duration;
use url::Url;

/// How long a form waits for an answer that waits for git: a fork's origin is checked over
/// git before its Factory creates it; a merge request's branch is fetched before its tracker
/// accepts it.
pub const GIT_WAIT: Duration = Duration::from_secs(20);

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/fork", web::get().to(page))
        .route("/fork", web::post().to(fork));
}

/// A Factory the fork form offers.
pub struct FactoryChoice {
    pub iri: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "remote/fork.html")]
struct ForkPage {
    chrome: Chrome,
    origin: String,
    /// The origin's page: its path here, or its look-up page.
    origin_link: String,
    factories: Vec<FactoryChoice>,
    sent: String,
}

#[derive(Deserialize)]
struct ForkQuery {
    #[serde(default)]
    origin: String,
    sent: Option<String>,
}

#[derive(Deserialize)]
struct ForkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    origin: String,
    #[serde(default)]
    factory: String,
    #[serde(default)]
    other_factory: String,
    #[serde(default)]
    name: String,
}

/// The IRI `text` names: an http(s) IRI, or a path of this instance (`/repos/tree`).
pub fn iri_or_path(state: &AppState, text: &str) -> Result<Url> {
    let text = text.trim();
    match text.starts_with('/') && !text.starts_with("//") {
        true => (state.settings.public_url.join(text))
            .map_err(|e| Error::BadRequest(format!("not a path: {e}"))),
        false => iri(text),
    }
}

/// The local Factories `user` holds `write` on that create repositories.
async fn repository_factories(state: &AppState, user: &str) -> Result<Vec<FactoryChoice>> {
    let usable = usable_factories(state, user).await?;
    let base = &state.settings.public_url;
    Ok((usable.into_iter())
        .filter(|f| f.types.iter().any(|t| t == "Repository"))
        .filter_map(|f| {
            let iri = base.join(&f.path).ok()?;
            Some(FactoryChoice {
                iri: iri.to_string(),
                name: f.name,
            })
        })
        .collect())
}

async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<ForkQuery>,
) -> PageResult {
    let user = session::require_signed_in(&state, &req)?;
    let chrome = chrome(&state, &req)?;
    let origin = iri_or_path(&state, &query.origin)?;
    let origin_link = match state.urls.is_local(&origin) {
        true => local_path(&state, origin.as_str()),
        false => format!("/lookup?q={}", enc(origin.as_str())),
    };
    Ok(render(&ForkPage {
        chrome,
        origin: origin.to_string(),
        origin_link,
        factories: repository_factories(&state, &user).await?,
        sent: sent_text(&state, &user, query.sent.as_deref()).await?,
    })?)
}

async fn fork(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<ForkForm>,
) -> PageResult {
    let user = poster(&state, &req, &form.csrf)?;
    let origin = iri_or_path(&state, &form.origin)?;
    let chosen = match form.other_factory.trim() {
        "" => form.factory.as_str(),
        other => other,
    };
    if chosen.trim().is_empty() {
        return Err(Error::BadRequest("choose a Factory to fork with".into()).into());
    }
    let factory = iri(chosen)?;
    let grant = grant_of::require(&state, &user, &factory, Role::Write).await?;
    let asked = CreateForm {
        csrf: String::new(),
        kind: "Repository".into(),
        name: form.name.clone(),
        summary: String::new(),
        visibility: String::new(),
        factory: String::new(),
    };
    if asked.name.trim().is_empty() {
        return Err(Error::BadRequest("the fork needs a name".into()).into());
    }
    let mut create = create_activity(&factory, &asked, &grant.grant)?;
    create["object"]["origin"] = json!(origin);
    create["cc"] = json!([origin]);
    let id = submit(&state, &user, create).await?;
    let answer = answer_to(&state, &user, &id, GIT_WAIT).await?;
    let made = answer
        .filter(|a| a["type"] == "Accept")
        .and_then(|a| a["result"].as_str().and_then(|r| Url::parse(r).ok()));
    Ok(redirect_see_other(&match made {
        Some(fork) if state.urls.is_local(&fork) => local_path(&state, fork.as_str()),
        Some(fork) => back_to(&fork, &id),
        None => format!(
            "/fork?origin={}&sent={}",
            enc(origin.as_str()),
            enc(id.as_str())
        ),
    }))
}
