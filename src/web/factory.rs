//! The Factory page, the HTML face of `/factories/{id}`: what it creates
//! (`availableActorTypes`) and, for a holder of a `write` Grant (or more) on it, one form per
//! type (`create_forms`). After a form, `?answer=<Create id>` shows the Factory's answer
//! (Reject reason, or still pending) when it did not come in time to go to the new resource.
//! Its admins get a link to its error box.

use super::answers::find;
use super::grant_of;
use super::page::{chrome, render, Chrome};
use crate::error::Result;
use crate::http::state::AppState;
use actix_web::{HttpRequest, HttpResponse};
use actors::ActorRef;
use askama::Template;
use schema::Role;
use serde::Deserialize;
use url::Url;

#[derive(Template)]
#[template(path = "create/factory.html")]
struct FactoryPage {
    chrome: Chrome,
    /// Where its forms post.
    action: String,
    name: String,
    summary: String,
    types: Vec<String>,
    may_create: bool,
    /// What became of the last Create sent from this page ("" when none was named).
    answer: String,
    /// Its error box page, for its admins.
    errors: Option<String>,
}

#[derive(Deserialize)]
struct AnswerQuery {
    answer: Option<String>,
}

/// The types a Factory document says it creates.
pub fn available_types(doc: &schema::Actor) -> Vec<String> {
    let types = doc.available_actor_types.as_ref();
    types.map(|t| t.as_slice().to_vec()).unwrap_or_default()
}

/// The page of the stored local Factory `r`.
pub async fn show(state: &AppState, req: &HttpRequest, r: &ActorRef) -> Result<HttpResponse> {
    let chrome = chrome(state, req)?;
    let doc = state.registry.document(r).await?;
    let (may_create, answer) = match &chrome.user {
        Some(u) => {
            let held = grant_of::mine(state, u, &state.urls.actor(r)).await?;
            (
                grant_of::allows(&held, Role::Write),
                answer_text(state, req, u).await?,
            )
        }
        None => (false, String::new()),
    };
    let errors = super::error_box::admin_link(state, chrome.user.as_deref(), r)?;
    render(&FactoryPage {
        chrome,
        action: format!("{}/create", state.urls.actor(r).path()),
        name: doc.name.clone().unwrap_or_else(|| r.id.clone()),
        summary: doc.summary.clone().unwrap_or_default(),
        types: available_types(&doc),
        may_create,
        answer,
        errors,
    })
}

/// The state of the Create `?answer=` names, as a sentence.
async fn answer_text(state: &AppState, req: &HttpRequest, user: &str) -> Result<String> {
    let query = actix_web::web::Query::<AnswerQuery>::from_query(req.query_string());
    let Some(id) = query.ok().and_then(|q| q.answer.clone()) else {
        return Ok(String::new());
    };
    let Ok(id) = Url::parse(&id) else {
        return Ok(String::new());
    };
    Ok(match find(state, user, &id).await? {
        Some(a) if a["type"] == "Reject" => format!(
            "The Factory refused: {}",
            a["summary"].as_str().unwrap_or("no reason given")
        ),
        Some(a) => format!("Created: {}", a["result"].as_str().unwrap_or_default()),
        None => "Your request was sent; the answer will appear in your notifications.".into(),
    })
}
