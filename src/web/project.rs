//! The project page, the HTML face of `/projects/{id}`: its name, summary and components
//! (its `components` collection), with the add and remove forms for a holder of a `maintain`
//! Grant (or more) on it. `POST /projects/{id}/components` (field `component`: an actor IRI)
//! sends `Add{object: component, target: <components>}`, and, when the person also
//! administers the component, that component's `Accept` of it; `POST
//! /projects/{id}/components/remove` sends `Remove{object: component, origin: <components>}`.

use super::act::submit;
use super::error_page::PageResult;
use super::form_guard::{actor_label, local_path, poster};
use super::grant_of;
use super::page::{chrome, redirect_see_other, render, Chrome};
use crate::error::{Error, Result};
use crate::http::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use actors::audience::Reader;
use actors::messages::GetCollection;
use actors::ActorRef;
use askama::Template;
use schema::Role;
use serde::Deserialize;
use serde_json::{json, Value};
use url::Url;

/// At most this many pages of components are shown.
const MAX_PAGES: u64 = 10;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/projects/{id}/components", web::post().to(add))
        .route("/projects/{id}/components/remove", web::post().to(remove));
}

/// One component as the page shows it.
pub struct ComponentView {
    pub iri: String,
    pub href: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "projects/project.html")]
struct ProjectPage {
    chrome: Chrome,
    path: String,
    name: String,
    summary: String,
    components: Vec<ComponentView>,
    may_maintain: bool,
    /// Its error box page, for its admins.
    errors: Option<String>,
}

/// The page of the stored local project `r`.
pub async fn show(state: &AppState, req: &HttpRequest, r: &ActorRef) -> Result<HttpResponse> {
    let chrome = chrome(state, req)?;
    let doc = state.registry.document(r).await?;
    let components = components(state, r)
        .await?
        .into_iter()
        .map(|iri| ComponentView {
            href: local_path(state, &iri),
            label: actor_label(state, &iri),
            iri,
        })
        .collect();
    let may_maintain = match &chrome.user {
        Some(u) => {
            let held = grant_of::mine(state, u, &state.urls.actor(r)).await?;
            grant_of::allows(&held, Role::Maintain)
        }
        None => false,
    };
    let errors = super::error_box::admin_link(state, chrome.user.as_deref(), r)?;
    render(&ProjectPage {
        chrome,
        path: state.urls.actor(r).path().to_string(),
        name: doc.name.unwrap_or_else(|| r.id.clone()),
        summary: doc.summary.unwrap_or_default(),
        components,
        may_maintain,
        errors,
    })
}

/// The project's components, page by page.
async fn components(state: &AppState, r: &ActorRef) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for page in 1..=MAX_PAGES {
        let msg = GetCollection {
            name: "components".into(),
            page: Some(page),
            reader: Reader::Anonymous,
        };
        let doc: Value = match state.registry.send(r, msg).await {
            Ok(doc) => doc,
            Err(actors::ActorError::NotFound(_)) => break,
            Err(e) => return Err(e.into()),
        };
        let items = doc["orderedItems"].as_array().cloned().unwrap_or_default();
        out.extend(items.iter().filter_map(|v| v.as_str().map(str::to_string)));
        if doc.get("next").is_none() {
            break;
        }
    }
    Ok(out)
}

#[derive(Deserialize)]
struct ComponentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    component: String,
}

/// The person, the project's IRI, the maintainer's Grant and the component of a form.
async fn checked(
    state: &AppState,
    req: &HttpRequest,
    id: &str,
    form: &ComponentForm,
) -> Result<(String, Url, Url, Url)> {
    let user = poster(state, req, &form.csrf)?;
    let r = crate::http::outbox::actor_from_path(state, req, "projects", id)?;
    let project = state.urls.actor(&r);
    let grant = grant_of::require(state, &user, &project, Role::Maintain).await?;
    let component = Url::parse(form.component.trim())
        .map_err(|e| Error::BadRequest(format!("the component must be an actor IRI: {e}")))?;
    if !matches!(component.scheme(), "http" | "https") {
        return Err(Error::BadRequest(
            "the component must be an http(s) actor IRI".into(),
        ));
    }
    Ok((user, project, grant.grant, component))
}

async fn add(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<ComponentForm>,
) -> PageResult {
    let (user, project, cap, component) = checked(&state, &req, &path, &form).await?;
    let add = json!({"type": "Add", "object": component, "to": [project], "cc": [component],
        "target": format!("{project}/components"), "capability": cap});
    let add_id = submit(&state, &user, add).await?;
    let mine = grant_of::mine(&state, &user, &component).await?;
    if let Some(admin) = mine.filter(|g| g.role >= Role::Admin) {
        let accept = json!({"type": "Accept", "object": add_id, "to": [component, project],
                            "capability": admin.grant});
        submit(&state, &user, accept).await?;
    }
    Ok(redirect_see_other(project.path()))
}

async fn remove(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<ComponentForm>,
) -> PageResult {
    let (user, project, cap, component) = checked(&state, &req, &path, &form).await?;
    let remove = json!({"type": "Remove", "object": component, "to": [project],
        "origin": format!("{project}/components"), "capability": cap});
    submit(&state, &user, remove).await?;
    Ok(redirect_see_other(project.path()))
}
