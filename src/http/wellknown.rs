//! Discovery routes: WebFinger (`/.well-known/webfinger`), NodeInfo 2.1
//! (`/.well-known/nodeinfo`, `/nodeinfo/2.1`) and Orchard's JSON-LD context (`/ns`).

use super::state::AppState;
use crate::error::{Error, Result};
use actix_web::{web, HttpResponse};
use actors::urls::routes;
use actors::{ActorKind, ActorRef};
use serde::Deserialize;

/// The NodeInfo 2.1 schema IRI, used as the link relation.
pub const NODEINFO_21_REL: &str = "http://nodeinfo.diaspora.software/ns/schema/2.1";
/// The NodeInfo 2.1 profile of the document's media type.
pub const NODEINFO_21_TYPE: &str =
    "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.1#\"";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(routes::ORCHARD_CONTEXT, web::get().to(orchard_context))
        .route(routes::WEBFINGER, web::get().to(webfinger))
        .route(routes::NODEINFO_LINKS, web::get().to(nodeinfo_links))
        .route(routes::NODEINFO, web::get().to(nodeinfo));
}

#[derive(Deserialize)]
struct WebfingerQuery {
    resource: String,
}

/// Resolves `acct:NAME@HOST` (HOST with or without port) or an actor IRI to a local actor.
fn resolve(state: &AppState, resource: &str) -> Result<ActorRef> {
    if let Some(acct) = resource.strip_prefix("acct:") {
        let (name, host) = acct
            .rsplit_once('@')
            .ok_or_else(|| Error::BadRequest("acct: resource must be NAME@HOST".into()))?;
        let name = name.trim_start_matches('@');
        if host != state.urls.authority() && host != state.urls.host() {
            return Err(Error::NotFound(format!("{host} is not this instance")));
        }
        return Ok(ActorRef::new(ActorKind::Person, name));
    }
    let iri = url::Url::parse(resource)
        .map_err(|_| Error::BadRequest("resource must be acct:NAME@HOST or an actor IRI".into()))?;
    state
        .urls
        .parse_actor(&iri)
        .ok_or_else(|| Error::NotFound(format!("{resource} is not an actor of this instance")))
}

async fn webfinger(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<WebfingerQuery>,
) -> Result<HttpResponse> {
    let r = resolve(&state, &query.resource)?;
    let missing = || Error::NotFound(format!("no actor for {}", query.resource));
    if !actors::kind::is_valid_local_id(&r.id) || !state.registry.store().actor_exists(&r)? {
        return Err(missing());
    }
    // A suspended person is not found, as a deleted actor is not.
    let store = state.registry.store();
    if r.kind == ActorKind::Person && actors::data::suspension::is_suspended(store, &r.id)? {
        return Err(missing());
    }
    // A private repository is named only to who may read it.
    match super::visibility::require_visible(&state, &req, &r).await {
        Err(Error::NotFound(_)) => return Err(missing()),
        other => other?,
    }
    let iri = state.urls.actor(&r);
    let subject = if r.kind == ActorKind::Person {
        format!("acct:{}@{}", r.id, state.urls.authority())
    } else {
        iri.to_string()
    };
    let jrd = schema::webfinger::Jrd {
        subject,
        aliases: vec![iri.to_string()],
        links: vec![schema::webfinger::JrdLink {
            rel: "self".into(),
            kind: Some(schema::context::ACTIVITY_JSON.into()),
            href: Some(iri.to_string()),
            template: None,
        }],
    };
    Ok(HttpResponse::Ok()
        .content_type("application/jrd+json")
        .json(jrd))
}

async fn nodeinfo_links(state: web::Data<AppState>) -> HttpResponse {
    let links = schema::nodeinfo::NodeInfoLinks {
        links: vec![schema::nodeinfo::NodeInfoLink {
            rel: NODEINFO_21_REL.into(),
            href: state.urls.nodeinfo().to_string(),
        }],
    };
    HttpResponse::Ok().json(links)
}

async fn nodeinfo(state: web::Data<AppState>) -> Result<HttpResponse> {
    let users = state.accounts.person_count()?;
    let info = schema::nodeinfo::NodeInfo {
        version: "2.1".into(),
        software: schema::nodeinfo::Software {
            name: "orchard".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            repository: None,
            homepage: None,
        },
        protocols: vec!["activitypub".into()],
        services: schema::nodeinfo::Services {
            inbound: vec![],
            outbound: vec![],
        },
        open_registrations: state.settings.accounts.registration,
        usage: schema::nodeinfo::Usage {
            users: schema::nodeinfo::UsageUsers {
                total: users,
                active_month: None,
                active_halfyear: None,
            },
            local_posts: None,
        },
        metadata: Default::default(),
    };
    Ok(HttpResponse::Ok().content_type(NODEINFO_21_TYPE).json(info))
}

/// Orchard's JSON-LD context (`/ns`): the terms it adds to ActivityStreams and ForgeFed.
async fn orchard_context(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/ld+json")
        .json(actors::urls::vocabulary::context_document(&state.urls))
}
