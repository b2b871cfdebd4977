//! The settings page of a repository, for its admins (`GET /repos/{id}/settings`): the forms of
//! `settings_forms` (name, summary and visibility; archive; collaborators: invite, and the
//! Grants the repository issued with a Remove each; delete; a link to its error box). Whoever
//! may not see the repository gets its 404; a visitor not signed in is sent to sign in; a
//! signed-in person without an active admin Grant on it gets 403.

use super::access::{admin_capability, open, Header, Opened};
use crate::error::{Error, Result};
use crate::http::state::AppState;
use crate::web::error_page::PageResult;
use crate::web::page::{chrome, render, Chrome};
use crate::web::session;
use actix_web::{web, HttpRequest};
use actors::messages::GetCollection;
use askama::Template;
use url::Url;

/// Pages of the `grants` collection read for the list (20 Grants a page).
const GRANT_PAGES: u64 = 10;

/// One Grant the repository issued.
pub struct GrantRow {
    pub target: String,
    pub role: String,
    pub state: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "repo/settings.html")]
struct SettingsPage {
    chrome: Chrome,
    header: Header,
    tab: &'static str,
    roles: &'static [&'static str],
    grants: Vec<GrantRow>,
    /// The signed-in admin's actor IRI (their own Grant has no Revoke button).
    me: String,
    /// The repository's error box page.
    errors: String,
}

/// The roles an Invite may give, lowest first.
pub const ROLES: &[&str] = &["visit", "report", "triage", "write", "maintain", "admin"];

/// The repository `id` opened for its admin: the signed-in person and the capability they
/// invoke. 404 (as for none) to whoever may not see it, 403 to the others.
pub async fn open_as_admin(
    state: &AppState,
    req: &HttpRequest,
    id: &str,
) -> Result<(Opened, String, Url)> {
    let opened = open(state, req, id).await?;
    let user = session::require_signed_in(state, req)?;
    let Some(capability) = admin_capability(state, &user, &opened.readable.r)? else {
        return Err(Error::Forbidden(format!(
            "{user} holds no admin Grant on {id}: only its admins change its settings"
        )));
    };
    Ok((opened, user, capability))
}

/// The Grants of the repository's `grants` collection, newest pages first as served.
async fn grants(state: &AppState, opened: &Opened) -> Result<Vec<GrantRow>> {
    let mut rows = Vec::new();
    for page in 1..=GRANT_PAGES {
        let msg = GetCollection {
            name: "grants".into(),
            page: Some(page),
            reader: actors::audience::Reader::Admin,
        };
        let doc = state.registry.send(&opened.readable.r, msg).await?;
        for g in doc["orderedItems"].as_array().into_iter().flatten() {
            let text = |k: &str| g[k].as_str().unwrap_or_default().to_string();
            rows.push(GrantRow {
                target: text("target"),
                role: text("object"),
                active: g["state"] == "active",
                state: text("state"),
            });
        }
        if doc.get("next").is_none() {
            break;
        }
    }
    Ok(rows)
}

/// `GET /repos/{id}/settings`.
pub async fn settings_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> PageResult {
    let (opened, user, _) = open_as_admin(&state, &req, &id).await?;
    let me = actors::ActorRef::new(actors::ActorKind::Person, user);
    let grants = grants(&state, &opened).await?;
    let errors = crate::web::error_box::link(state.urls.actor(&opened.readable.r).as_str());
    Ok(render(&SettingsPage {
        chrome: chrome(&state, &req)?,
        header: opened.header,
        tab: "settings",
        roles: ROLES,
        grants,
        me: state.urls.actor(&me).to_string(),
        errors,
    })?)
}
