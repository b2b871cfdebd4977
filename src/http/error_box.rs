//! The error box over HTTP (`actors::data::error_box`, and the in-memory `unverified` entries of
//! `federation::unverified`): `GET /api/v1/errors?actor=IRI`, the entries of one local actor,
//! for its admins (a person: themselves; a resource: the holders of an `admin` Grant on it) and
//! the instance's admins; `GET /api/v1/admin/errors`, the instance's ring, for admins. The web
//! page (`web::error_box`) reads through the same functions.

use super::admin::admin;
use super::auth;
use super::state::AppState;
use crate::error::{Error, Result};
use actix_web::{web, HttpRequest, HttpResponse};
use actors::accounts::Role;
use actors::audience::Reader;
use actors::data::error_box::{self, Entry, INSTANCE_RING};
use actors::urls::routes;
use actors::{ActorKind, ActorRef};
use serde::Deserialize;
use serde_json::json;
use url::Url;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(routes::API_ERRORS, web::get().to(actor_errors))
        .route(routes::API_ADMIN_ERRORS, web::get().to(instance_errors));
}

/// The query of both the API and the page.
#[derive(Deserialize)]
pub struct ActorQuery {
    pub actor: Option<String>,
}

/// One local actor's error box, as read by one of its admins.
pub struct ActorBox {
    pub iri: Url,
    pub entries: Vec<Entry>,
}

/// Whether `user` administers the local actor `r`: an instance admin, the person themselves, or
/// the holder of an active `admin` Grant on the resource.
pub fn administers(state: &AppState, user: &str, r: &ActorRef) -> Result<bool> {
    if auth::has_role(state, user, Role::Admin)? {
        return Ok(true);
    }
    if r.kind == ActorKind::Person {
        return Ok(r.id == user);
    }
    let person = ActorRef::new(ActorKind::Person, user);
    let iri = state.urls.actor(r);
    let held = actors::grants::held::capability_on(state.registry.env(), &person, &iri)?;
    Ok(held.is_some_and(|(role, _)| role == schema::Role::Admin))
}

/// The stored local actor an `actor` parameter names: 400 when it is not an IRI of this
/// instance, 404 when no stored actor has it.
pub fn local_actor(state: &AppState, actor: Option<&str>) -> Result<(ActorRef, Url)> {
    let actor = actor.ok_or_else(|| Error::BadRequest("give ?actor=IRI".into()))?;
    let shown = error_box::clip(actor, 200);
    let iri = Url::parse(actor)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .ok_or_else(|| Error::BadRequest(format!("{shown:?} is not an actor IRI")))?;
    if !state.urls.is_local(&iri) {
        return Err(Error::BadRequest(format!(
            "{shown:?} is not on this instance: ask its own instance's admins"
        )));
    }
    let missing = || Error::NotFound(format!("no local actor {shown:?}"));
    let r = state.urls.parse_actor(&iri).ok_or_else(missing)?;
    if !state.registry.store().actor_exists(&r)? {
        return Err(missing());
    }
    Ok((r.clone(), state.urls.actor(&r)))
}

/// The error box of the actor `actor` names, for `user`: 403 when they do not administer it
/// (404, as for none, for a private repository they may not see).
pub async fn actor_box(state: &AppState, user: &str, actor: Option<&str>) -> Result<ActorBox> {
    let (r, iri) = local_actor(state, actor)?;
    if !administers(state, user, &r)? {
        let reader = Reader::Actor(state.urls.actor(&ActorRef::new(ActorKind::Person, user)));
        super::visibility::check_visible(state, &r, &reader).await?;
        return Err(Error::Forbidden(format!(
            "{user} does not administer {iri}: only its admins read its error box"
        )));
    }
    let mut entries = error_box::of_actor(state.registry.store(), &r)?;
    entries.extend(state.federation.unverified.of(iri.as_str()));
    entries.sort_by(|a, b| b.time.cmp(&a.time));
    Ok(ActorBox { iri, entries })
}

/// The instance's error box, newest first: the stored ring and the newest `unverified` entries
/// held in memory (up to `INSTANCE_RING` of each).
pub fn instance_box(state: &AppState) -> Result<Vec<Entry>> {
    let mut entries = error_box::of_instance(state.registry.store())?;
    let unverified = state.federation.unverified.newest(INSTANCE_RING as usize);
    entries.extend(unverified);
    entries.sort_by(|a, b| b.time.cmp(&a.time));
    Ok(entries)
}

async fn actor_errors(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<ActorQuery>,
) -> Result<HttpResponse> {
    let user = auth::require_user(&state, &req)?;
    let b = actor_box(&state, &user, query.actor.as_deref()).await?;
    Ok(HttpResponse::Ok().json(json!({ "actor": b.iri, "entries": b.entries })))
}

async fn instance_errors(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse> {
    admin(&state, &req)?;
    Ok(HttpResponse::Ok().json(json!({ "entries": instance_box(&state)? })))
}
