//! Who reaches a repository's pages, and what every one of them shows at its top: the gate of
//! `http::repo_access` (a private repository is 404 to whoever may not read it) asked for the
//! reader of the session cookie, the repository's name, summary, visibility and archive state
//! from its document, and whether the signed-in person administers it (their active admin
//! Grant, still held on the repository: the capability the settings forms invoke) or may
//! write to it.

use crate::error::Result;
use crate::http::repo_access::{readable_by, ReadableRepository};
use crate::http::state::AppState;
use crate::web::form_guard::{enc, local_path};
use crate::web::session;
use actix_web::HttpRequest;
use actors::{ActorKind, ActorRef};
use schema::Role;
use url::Url;

/// The top of every repository page.
#[derive(Debug, Clone)]
pub struct Header {
    pub id: String,
    /// The repository page's path (`/repos/{id}`), the base of every link.
    pub base: String,
    pub name: String,
    pub summary: String,
    pub private: bool,
    pub archived: bool,
    /// The signed-in person administers it (the Settings tab is shown).
    pub admin: bool,
    /// The signed-in person may write to it (a Grant of `write` or more: "Open a merge request").
    pub writer: bool,
    /// The default branch (what `HEAD` names), when the document says.
    pub default_branch: Option<String>,
    /// A fork's origin (its document's `origin`): the IRI and where its page is from here (its
    /// path on this instance, or its look-up page).
    pub origin: Option<(String, String)>,
}

/// A repository the visitor may read, with its header.
pub struct Opened {
    pub readable: ReadableRepository,
    pub header: Header,
    /// The repository's document.
    pub doc: schema::Actor,
}

/// The stored repository `id` as the visitor may read it; 404 (as for none) otherwise.
pub async fn open(state: &AppState, req: &HttpRequest, id: &str) -> Result<Opened> {
    let segment = ActorKind::Repository.path_segment();
    let r = crate::http::outbox::actor_from_path(state, req, segment, id)?;
    open_ref(state, req, r).await
}

/// `open` for an actor already looked up.
pub async fn open_ref(state: &AppState, req: &HttpRequest, r: ActorRef) -> Result<Opened> {
    let reader = session::reader(state, req, &r)?;
    let readable = readable_by(state, r, reader).await?;
    let doc = state.registry.document(&readable.r).await?;
    let user = session::signed_in(state, req)?;
    let held = match &user {
        Some(u) => held_capability(state, u, &readable.r)?,
        None => None,
    };
    let admin = held.as_ref().is_some_and(|(role, _)| *role == Role::Admin);
    let writer = held.as_ref().is_some_and(|(role, _)| *role >= Role::Write);
    let extra = |k: &str| doc.extra.get(k);
    let header = Header {
        id: readable.r.id.clone(),
        base: format!("/repos/{}", readable.r.id),
        name: doc.name.clone().unwrap_or_else(|| readable.r.id.clone()),
        summary: doc.summary.clone().unwrap_or_default(),
        private: extra("visibility").and_then(|v| v.as_str()) == Some("private"),
        archived: extra("isArchived").and_then(|v| v.as_bool()) == Some(true),
        admin,
        writer,
        default_branch: extra("defaultBranch")
            .and_then(|v| v.as_str())
            .map(str::to_string),
        origin: origin_link(state, extra("origin")),
    };
    Ok(Opened {
        readable,
        header,
        doc,
    })
}

/// A fork's `origin` (an IRI, or an object with an `id`) and its page from here.
fn origin_link(state: &AppState, origin: Option<&serde_json::Value>) -> Option<(String, String)> {
    let origin = origin?;
    let iri = origin.as_str().or_else(|| origin["id"].as_str())?;
    let url = Url::parse(iri)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))?;
    let path = local_path(state, url.as_str());
    let page = if path.starts_with('/') {
        path
    } else {
        format!("/lookup?q={}", enc(url.as_str()))
    };
    Some((url.to_string(), page))
}

/// The admin Grant `user` holds on `repo` (the capability to invoke), if any.
pub fn admin_capability(state: &AppState, user: &str, repo: &ActorRef) -> Result<Option<Url>> {
    Ok(held_capability(state, user, repo)?
        .filter(|(role, _)| *role == Role::Admin)
        .map(|(_, grant)| grant))
}

/// The best role `user` holds on `repo` and the Grant to invoke for it, if any.
fn held_capability(state: &AppState, user: &str, repo: &ActorRef) -> Result<Option<(Role, Url)>> {
    let person = ActorRef::new(ActorKind::Person, user);
    let iri = state.urls.actor(repo);
    Ok(actors::grants::held::capability_on(
        state.registry.env(),
        &person,
        &iri,
    )?)
}
