//! `GET /people/{username}/ssh-keys/{key}`: one SSH key a Person document lists (`sshKey`), as
//! ForgeFed `SshPublicKey`. Public, like the Person document; a key removed since is `410 Gone`.

use super::activity_json::activity_json;
use super::state::AppState;
use crate::error::{json_error, Error, Result};
use actix_web::http::StatusCode;
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
    let keys = SshKeys::new(state.registry.store().clone());
    let found = keys
        .list(&person.id)?
        .into_iter()
        .find(|k| ssh_key_name(&k.fingerprint) == key)
        .and_then(|k| actors::person::ssh_key_object(&state.urls, &person, &k));
    if let Some(mut doc) = found {
        doc["@context"] = schema::context::default_context();
        return Ok(activity_json(&req, &doc));
    }
    if keys
        .removed(&person.id)?
        .iter()
        .any(|f| ssh_key_name(f) == key)
    {
        let why = format!("{username} removed the SSH key {key}");
        return Ok(json_error(StatusCode::GONE, &why));
    }
    Err(Error::NotFound(format!("{username} has no SSH key {key}")))
}
