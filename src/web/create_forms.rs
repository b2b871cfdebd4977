//! Creating resources from the web: `GET /create` lists the Factories the signed-in person
//! may use (a `write` Grant or more on a Factory of this instance), each with one form per
//! type it creates; `POST /factories/{id}/create` (fields `type`: Repository, TicketTracker or
//! Project, `name`, `summary`, `visibility` for a Repository) sends the `Create` a C2S client
//! would post to the Factory, with the person's Grant as its capability (403 without one,
//! nothing sent). It then goes to the new resource once the Factory accepted, or back to the
//! Factory page, which shows the answer.

use super::act::submit;
use super::answers::{answer_to, CREATE_WAIT};
use super::error_page::PageResult;
use super::factory::available_types;
use super::form_guard::{enc, local_path, poster};
use super::grant_of;
use super::page::{chrome, redirect_see_other, render, Chrome};
use super::session;
use crate::error::{Error, Result};
use crate::http::state::AppState;
use actix_web::{web, HttpRequest};
use actors::ActorKind;
use askama::Template;
use schema::Role;
use serde::Deserialize;
use serde_json::json;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/create", web::get().to(index))
        .route("/factories/{id}/create", web::post().to(create));
}

/// A Factory the person may use, as the create page shows it.
pub struct FactoryView {
    pub path: String,
    /// Where its forms post.
    pub action: String,
    pub name: String,
    pub types: Vec<String>,
}

#[derive(Template)]
#[template(path = "create/index.html")]
struct CreatePage {
    chrome: Chrome,
    factories: Vec<FactoryView>,
}

/// The local Factories `user` holds `write` or more on.
pub async fn usable_factories(state: &AppState, user: &str) -> Result<Vec<FactoryView>> {
    let mut out = Vec::new();
    for (context, grants) in grant_of::all_mine(state, user).await? {
        let Some(r) = state.urls.parse_actor(&context) else {
            continue;
        };
        let usable = grants.iter().any(|g| g.role >= Role::Write);
        if r.kind != ActorKind::Factory || !usable || !state.registry.store().actor_exists(&r)? {
            continue;
        }
        let doc = state.registry.document(&r).await?;
        out.push(FactoryView {
            path: context.path().to_string(),
            action: format!("{}/create", context.path()),
            name: doc.name.clone().unwrap_or_else(|| r.id.clone()),
            types: available_types(&doc),
        });
    }
    Ok(out)
}

async fn index(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let user = session::require_signed_in(&state, &req)?;
    let chrome = chrome(&state, &req)?;
    let factories = usable_factories(&state, &user).await?;
    Ok(render(&CreatePage { chrome, factories })?)
}

/// The fields of a creating form.
#[derive(Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub visibility: String,
    /// Another instance's Factory (the look-up page's forms).
    #[serde(default)]
    pub factory: String,
}

async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<CreateForm>,
) -> PageResult {
    let user = poster(&state, &req, &form.csrf)?;
    let r = crate::http::outbox::actor_from_path(&state, &req, "factories", &path)?;
    let factory = state.urls.actor(&r);
    let grant = grant_of::require(&state, &user, &factory, Role::Write).await?;
    let activity = create_activity(&factory, &form, &grant.grant)?;
    let id = submit(&state, &user, activity).await?;
    Ok(redirect_see_other(
        &match answer_to(&state, &user, &id, CREATE_WAIT).await? {
            Some(a) if a["type"] == "Accept" && a["result"].is_string() => {
                local_path(&state, a["result"].as_str().unwrap_or_default())
            }
            _ => format!("{}?answer={}", factory.path(), enc(id.as_str())),
        },
    ))
}

/// The Create a form asks of `factory` (this instance's or another's).
pub fn create_activity(
    factory: &url::Url,
    form: &CreateForm,
    cap: &url::Url,
) -> Result<serde_json::Value> {
    let kind = ActorKind::from_type(&form.kind)
        .filter(|k| actors::factory::CREATABLE.contains(k))
        .ok_or_else(|| Error::BadRequest(format!("a Factory cannot create {:?}", form.kind)))?;
    let mut object = json!({"type": kind.as_type(), "name": form.name.trim()});
    if !form.summary.trim().is_empty() {
        object["summary"] = json!(form.summary.trim());
    }
    if kind == ActorKind::Repository && !form.visibility.is_empty() {
        object["visibility"] = json!(form.visibility);
    }
    Ok(json!({"type": "Create", "to": [factory], "object": object, "capability": cap}))
}
