//! Read-only smart-HTTP git for repositories (`git clone http://host/repos/<id>`):
//! `GET /repos/{id}/info/refs?service=git-upload-pack` and `POST /repos/{id}/git-upload-pack`,
//! each a `git upload-pack` the Repository actor runs, in a bounded slot, with its output
//! streamed (`git_stream`).
//! Pushing over HTTP is refused (push over SSH). Also `GET /repos/{id}/pushes`, the push log.
//! Each advertisement served counts one clone (`orchard_git_clones_total{transport="http"}`).

use super::git_stream::{self, UploadPack};
use super::state::AppState;
use crate::error::{Error, Result};
use crate::request_body::read_body;
use actix_web::web::Bytes;
use actix_web::{web, HttpRequest, HttpResponse};
use actors::kinds::repository_git::GetPushLog;
use actors::repository::Repository;
use actors::urls::routes;
use actors::{ActorKind, ActorRef};
use serde::Deserialize;
use std::io::Read;
use std::time::Duration;

/// Largest upload-pack request body (the client's wants and haves).
const MAX_NEGOTIATION: usize = 32 * 1024 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(routes::GIT_INFO_REFS, web::get().to(info_refs))
        .route(routes::GIT_UPLOAD_PACK, web::post().to(upload_pack))
        .route(routes::GIT_RECEIVE_PACK, web::post().to(receive_pack))
        .route(routes::PUSH_LOG, web::get().to(pushes));
}

/// The repository a path names, 404 when there is no such repository.
fn repo_of(state: &AppState, id: &str) -> Result<ActorRef> {
    let id = id.strip_suffix(".git").unwrap_or(id);
    let r = ActorRef::new(ActorKind::Repository, id);
    let not_found = || Error::NotFound(format!("no repository {id:?}"));
    if !actors::kind::is_valid_local_id(id) {
        return Err(not_found());
    }
    if !state.registry.store().actor_exists(&r)? {
        return Err(super::tombstones::git_missing(state, &r, not_found()));
    }
    Ok(r)
}

/// The repository `id` if the request may clone it (a private one: its grantees, by token or
/// signed request), with who asks; the same 404 as `repo_of` otherwise.
async fn cloneable(
    state: &AppState,
    req: &HttpRequest,
    id: &str,
) -> Result<(ActorRef, Option<url::Url>)> {
    let r = repo_of(state, id)?;
    let reader = super::reader::reader(state, req, &r).await?;
    if !super::visibility::may_see(state, &r, &reader).await? {
        return Err(Error::NotFound(format!("no repository {:?}", r.id)));
    }
    let who = match reader {
        actors::audience::Reader::Actor(who) => Some(who),
        _ => None,
    };
    Ok((r, who))
}

/// The `GIT_PROTOCOL` the client asked for (protocol v2), if well-formed.
fn git_protocol(req: &HttpRequest) -> Option<String> {
    let v = req.headers().get("git-protocol")?.to_str().ok()?;
    v.split(':')
        .all(|p| p.starts_with("version=") && p.len() < 16)
        .then(|| v.to_string())
}

/// Has the Repository actor run `git upload-pack` in a clone slot (503 when none frees up in
/// time); its output is streamed after `prefix` as a `content_type` body.
async fn serve_git(
    state: &AppState,
    (repo, who): (&ActorRef, Option<url::Url>),
    args: &[&str],
    protocol: Option<String>,
    input: Bytes,
    (prefix, content_type): (&'static [u8], &str),
) -> Result<HttpResponse> {
    let slot = match state.clone_slots.acquire().await {
        Ok(slot) => slot,
        Err(busy) => return Ok(busy),
    };
    let run = UploadPack {
        registry: &state.registry,
        repo: &repo.id,
        who,
        args,
        protocol,
        input,
        timeout: Duration::from_secs(state.settings.ssh.push_timeout_secs),
    };
    Ok(git_stream::upload_pack(run, slot, prefix)
        .await?
        .respond(content_type))
}

#[derive(Deserialize)]
struct ServiceQuery {
    service: Option<String>,
}

async fn info_refs(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<ServiceQuery>,
) -> Result<HttpResponse> {
    let (repo, who) = cloneable(&state, &req, &path).await?;
    match query.service.as_deref() {
        Some("git-upload-pack") => {}
        Some("git-receive-pack") => {
            return Err(Error::Forbidden(
                "pushing over HTTP is not offered; push over SSH".into(),
            ))
        }
        _ => {
            return Err(Error::BadRequest(
                "only the smart protocol is served (?service=git-upload-pack)".into(),
            ))
        }
    }
    let protocol = git_protocol(&req);
    let v2 = protocol.as_deref().is_some_and(|p| p.contains("version=2"));
    let prefix: &'static [u8] = if v2 {
        b""
    } else {
        b"001e# service=git-upload-pack\n0000"
    };
    let args = ["--stateless-rpc", "--advertise-refs"];
    let kind = (prefix, "application/x-git-upload-pack-advertisement");
    let res = serve_git(&state, (&repo, who), &args, protocol, Bytes::new(), kind).await?;
    if res.status().is_success() {
        // One advertisement per clone or fetch (its POSTs may be several).
        state.metrics.git_clone(crate::metrics::Transport::Http);
    }
    Ok(res)
}

async fn upload_pack(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse> {
    let (repo, who) = cloneable(&state, &req, &path).await?;
    let mut body = read_body(&req, payload, MAX_NEGOTIATION).await?;
    let gzip = req
        .headers()
        .get("content-encoding")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("gzip"));
    if gzip {
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(&body[..])
            .take(MAX_NEGOTIATION as u64 + 1)
            .read_to_end(&mut plain)
            .map_err(|e| Error::BadRequest(format!("bad gzip body: {e}")))?;
        if plain.len() > MAX_NEGOTIATION {
            return Err(Error::TooLarge("request too large".into()));
        }
        body = Bytes::from(plain);
    }
    let kind: (&'static [u8], _) = (b"", "application/x-git-upload-pack-result");
    let protocol = git_protocol(&req);
    serve_git(
        &state,
        (&repo, who),
        &["--stateless-rpc"],
        protocol,
        body,
        kind,
    )
    .await
}

async fn receive_pack() -> Result<HttpResponse> {
    Err(Error::Forbidden(
        "pushing over HTTP is not offered; push over SSH".into(),
    ))
}

async fn pushes(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse> {
    let (r, _) = cloneable(&state, &req, &path).await?;
    let log = state
        .registry
        .get::<Repository>(&r.id)
        .await?
        .send(GetPushLog)
        .await
        .map_err(actors::ActorError::from)??;
    let items: Vec<serde_json::Value> = log
        .into_iter()
        .map(|p| {
            serde_json::json!({
                "pusher": p.pusher, "startedMs": p.started_ms, "endedMs": p.ended_ms,
                "exit": p.exit,
                "updates": p.updates.iter().map(|u| serde_json::json!({"ref": u.name, "before": u.before, "after": u.after})).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({"totalItems": items.len(), "items": items})))
}
