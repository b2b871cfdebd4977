//! The person page, the HTML face of `/people/{id}`: their name, handle, summary, the
//! repositories and projects they administer or may write to (as the visitor may see them:
//! `actors::grants::held`), and what they starred.

use super::items::{held, ListItem};
use super::page::{chrome, render, Chrome};
use super::session;
use crate::error::Result;
use crate::http::state::AppState;
use actix_web::{HttpRequest, HttpResponse};
use actors::{ActorKind, ActorRef};
use askama::Template;

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    chrome: Chrome,
    handle: String,
    name: String,
    summary: String,
    repositories: Vec<ListItem>,
    projects: Vec<ListItem>,
    starred: Vec<String>,
    is_me: bool,
}

/// The page of the stored local person `r`.
pub async fn show(state: &AppState, req: &HttpRequest, r: &ActorRef) -> Result<HttpResponse> {
    let chrome = chrome(state, req)?;
    let doc = state.registry.document(r).await?;
    let reader = session::reader(state, req, r)?;
    let repositories = held(state, &r.id, ActorKind::Repository, reader.clone()).await?;
    let projects = held(state, &r.id, ActorKind::Project, reader.clone()).await?;
    let starred = super::stars::starred_by(state, r, reader).await?;
    let host = super::page::instance_name(state);
    let is_me = chrome.user.as_deref() == Some(r.id.as_str());
    render(&PersonPage {
        chrome,
        handle: format!("@{}@{host}", r.id),
        name: doc.name.unwrap_or_else(|| r.id.clone()),
        summary: doc.summary.unwrap_or_default(),
        repositories: repositories.unwrap_or_default(),
        projects: projects.unwrap_or_default(),
        starred,
        is_me,
    })
}
