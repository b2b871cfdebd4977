//! The forms of a repository's settings page, each `POST /repos/{id}/settings/{form}`: the CSRF
//! token checked first, then the admin (`settings::open_as_admin`), then the activity the
//! C2S API takes (the shapes of tests/visibility, tests/deletion, tests/capabilities) posted
//! through `web::act::submit`, then `303 See Other`. `edit`: Edit of name, summary and
//! visibility; `archive`: Edit of `isArchived`; `invite`: Invite of a person (`user@host`, or
//! an actor URL) to a role; `remove`: Remove of a person (the repository revokes their
//! Grants); `delete`: Delete of the repository, confirmed by typing its id.

use super::settings::{open_as_admin, ROLES};
use crate::error::{Error, Result};
use crate::federation::webfinger;
use crate::http::state::AppState;
use crate::web::act;
use crate::web::csrf;
use crate::web::error_page::PageResult;
use crate::web::page::redirect_see_other;
use actix_web::{web, HttpRequest, HttpResponse};
use actors::{ActorKind, ActorRef};
use serde::Deserialize;
use serde_json::{json, Value};
use url::Url;

/// Every field any settings form sends; each form reads its own.
#[derive(Deserialize, Default)]
pub struct SettingsForm {
    #[serde(default)]
    csrf: String,
    name: Option<String>,
    summary: Option<String>,
    visibility: Option<String>,
    archived: Option<String>,
    who: Option<String>,
    role: Option<String>,
    confirm: Option<String>,
}

/// `POST /repos/{id}/settings/{form}`.
pub async fn settings_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: web::Form<SettingsForm>,
) -> PageResult {
    Ok(settings_act(&req, &state, path.into_inner(), form.into_inner()).await?)
}

async fn settings_act(
    req: &HttpRequest,
    state: &AppState,
    (id, which): (String, String),
    form: SettingsForm,
) -> Result<HttpResponse> {
    csrf::check(state, req, &form.csrf)?;
    let (opened, user, cap) = open_as_admin(state, req, &id).await?;
    let repo = state.urls.actor(&opened.readable.r);
    let base = opened.header.base;
    let activity = match which.as_str() {
        "edit" => edit(&repo, &cap, &form)?,
        "archive" => json!({"type": "Edit", "capability": cap,
            "object": {"id": repo, "isArchived": form.archived.as_deref() == Some("true")}}),
        "invite" => {
            let role = form.role.as_deref().filter(|r| ROLES.contains(r));
            let role = role.ok_or_else(|| Error::BadRequest("choose a role".into()))?;
            let who = person(state, form.who.as_deref().unwrap_or_default()).await?;
            json!({"type": "Invite", "object": who, "instrument": role, "target": repo,
                   "capability": cap})
        }
        "remove" => {
            let who = person(state, form.who.as_deref().unwrap_or_default()).await?;
            json!({"type": "Remove", "object": who, "origin": repo, "capability": cap})
        }
        "delete" => {
            if form.confirm.as_deref().map(str::trim) != Some(id.as_str()) {
                return Err(Error::BadRequest(format!(
                    "type the repository's id ({id}) to delete it"
                )));
            }
            let delete = json!({"type": "Delete", "object": repo, "to": [repo], "capability": cap});
            act::submit(state, &user, delete).await?;
            return Ok(redirect_see_other("/dashboard"));
        }
        other => return Err(Error::NotFound(format!("no settings form {other:?}"))),
    };
    act::submit(state, &user, activity).await?;
    Ok(redirect_see_other(&format!("{base}/settings")))
}

/// The Edit of the name, summary and visibility the form gives.
fn edit(repo: &Url, cap: &Url, form: &SettingsForm) -> Result<Value> {
    let mut object = json!({"id": repo});
    if let Some(name) = form
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        object["name"] = json!(name);
    }
    if let Some(summary) = &form.summary {
        object["summary"] = json!(summary.trim());
    }
    match form.visibility.as_deref() {
        Some(v @ ("public" | "private")) => object["visibility"] = json!(v),
        None => {}
        Some(other) => return Err(Error::BadRequest(format!("no visibility {other:?}"))),
    }
    Ok(json!({"type": "Edit", "to": [repo], "capability": cap, "object": object}))
}

/// The actor IRI a person is named by: an `http(s)` URL as given, a handle of this instance
/// (`user@host`, or a bare `user`), or another instance's handle found by WebFinger.
pub async fn person(state: &AppState, who: &str) -> Result<Url> {
    let who = who.trim();
    if who.starts_with("https://") || who.starts_with("http://") {
        return Url::parse(who).map_err(|e| Error::BadRequest(format!("{who:?}: {e}")));
    }
    let local = |user: &str| {
        actors::kind::is_valid_local_id(user)
            .then(|| state.urls.actor(&ActorRef::new(ActorKind::Person, user)))
            .ok_or_else(|| Error::BadRequest(format!("{user:?} is not a user name")))
    };
    if !who.contains('@') || who.trim_start_matches('@').find('@').is_none() {
        return local(who.trim_start_matches('@'));
    }
    let (user, host) = webfinger::split_handle(who)
        .ok_or_else(|| Error::BadRequest(format!("{who:?} is neither user@host nor a URL")))?;
    if host == state.urls.authority() {
        return local(user);
    }
    let scheme = state.urls.base().scheme();
    webfinger::resolve(&state.federation.fetcher, scheme, user, host).await
}
