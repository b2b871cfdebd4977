//! The error box page `GET /errors?actor=IRI`: the entries of one local actor, for the same
//! people as `GET /api/v1/errors` (its admins and the instance's), read through the same
//! function (`http::error_box::actor_box`). Without `actor`, the instance's box, for admins.
//! Not signed in: sent to sign in; others get 403 (404 for what they may not see).

use super::error_page::PageResult;
use super::items::short_time;
use super::page::{chrome, render, Chrome};
use super::session;
use crate::error::{Error, Result};
use crate::http::auth::has_role;
use crate::http::error_box::{actor_box, instance_box, ActorQuery};
use crate::http::state::AppState;
use actix_web::{web, HttpRequest};
use actors::accounts::Role;
use actors::data::error_box::Entry;
use actors::ActorRef;
use askama::Template;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/errors", web::get().to(show));
}

/// The path of the error box page of the actor `iri` (what its admins' pages link to).
pub fn link(iri: &str) -> String {
    let q: String = url::form_urlencoded::byte_serialize(iri.as_bytes()).collect();
    format!("/errors?actor={q}")
}

/// The link to the error box of the local actor `r` when the signed-in `user` administers it
/// (what the resource pages show their admins).
pub fn admin_link(state: &AppState, user: Option<&str>, r: &ActorRef) -> Result<Option<String>> {
    let Some(user) = user else {
        return Ok(None);
    };
    let admin = crate::http::error_box::administers(state, user, r)?;
    Ok(admin.then(|| link(state.urls.actor(r).as_str())))
}

/// One entry as the table shows it (empty texts for what it does not name).
struct Row {
    time: String,
    stage: &'static str,
    activity: String,
    activity_type: String,
    actor: String,
    recipient: String,
    host: String,
    reason: String,
}

impl Row {
    fn new(e: Entry) -> Row {
        let text = |v: Option<String>| v.unwrap_or_default();
        Row {
            time: short_time(&e.time),
            stage: e.stage.as_str(),
            activity: text(e.activity),
            activity_type: text(e.activity_type),
            actor: text(e.actor),
            recipient: text(e.recipient),
            host: text(e.host),
            reason: e.reason,
        }
    }
}

#[derive(Template)]
#[template(path = "errors.html")]
struct ErrorsPage {
    chrome: Chrome,
    /// The actor whose box it is (None: the instance's).
    actor: Option<String>,
    rows: Vec<Row>,
}

async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<ActorQuery>,
) -> PageResult {
    let user = session::require_signed_in(&state, &req)?;
    let (actor, entries) = match query.actor.as_deref() {
        Some(a) => {
            let b = actor_box(&state, &user, Some(a)).await?;
            (Some(b.iri.to_string()), b.entries)
        }
        None if has_role(&state, &user, Role::Admin)? => (None, instance_box(&state)?),
        None => {
            let message = "give ?actor=IRI: the instance's error box is for its admins";
            return Err(Error::BadRequest(message.into()).into());
        }
    };
    Ok(render(&ErrorsPage {
        chrome: chrome(&state, &req)?,
        actor,
        rows: entries.into_iter().map(Row::new).collect(),
    })?)
}
