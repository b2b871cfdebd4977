//! `GET /people/{username}/ssh-keys/{key}`: one SSH key a Person document lists (`sshKey`), as
//! ForgeFed `SshPublicKey`. Public, like the Person document; a key removed since answers 404.

use super::{activity_json, AppState};
use crate::error::{Error, Result};
use actix_web::{web, HttpRequest, HttpResponse};
use actors::ssh_keys::SshKeys;
use actors::urls::{routes, ssh_key_name};
use actors::ActorKind;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(routes::SSH_KEY, web::get().to(ssh_key));
}

async fn ssh_key(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse> {
    let (username, key) = path.into_inner();
    let segment = ActorKind::Person.path_segment();
    let person = super::outbox::actor_from_path(&state, &req, segment, &username)?;
    let keys = SshKeys::new(state.registry.store().clone()).list(&person.id)?;
    let mut doc = keys
        .iter()
        .find(|k| ssh_key_name(&k.fingerprint) == key)
        .and_then(|k| actors::person::ssh_key_object(&state.urls, &person, k))
        .ok_or_else(|| Error::NotFound(format!("{username} has no SSH key {key}")))?;
    doc["@context"] = schema::context::default_context();
    Ok(activity_json(&req, &doc))
}
