//! Read-only smart-HTTP git for repositories (`git clone http://host/repos/<id>`):
//! `GET /repos/{id}/info/refs?service=git-upload-pack` and `POST /repos/{id}/git-upload-pack`.
//! Pushing over HTTP is refused (push over SSH). Also `GET /repos/{id}/pushes`, the push log.

use super::AppState;
use crate::error::{Error, Result};
use crate::federation::inbox::read_body;
use actix_web::{web, HttpRequest, HttpResponse};
use actors::repository::{GetPushLog, Repository};
use actors::{ActorKind, ActorRef};
use serde::Deserialize;
use std::io::Read;
use std::path::PathBuf;
use std::process::Stdio;
use tokio::io::AsyncWriteExt;

/// Largest upload-pack request body (the client's wants and haves).
const MAX_NEGOTIATION: usize = 32 * 1024 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/repos/{id}/info/refs", web::get().to(info_refs))
        .route("/repos/{id}/git-upload-pack", web::post().to(upload_pack))
        .route("/repos/{id}/git-receive-pack", web::post().to(receive_pack))
        .route("/repos/{id}/pushes", web::get().to(pushes));
}

/// The repository's bare directory, 404 when there is no such repository.
fn repo_dir(state: &AppState, id: &str) -> Result<(ActorRef, PathBuf)> {
    let id = id.strip_suffix(".git").unwrap_or(id);
    let r = ActorRef::new(ActorKind::Repository, id);
    if !actors::kind::is_valid_local_id(id) || !state.registry.store().actor_exists(&r)? {
        return Err(Error::NotFound(format!("no repository {id:?}")));
    }
    let dir = actors::creation::repo_path(state.registry.env(), id);
    Ok((r, dir))
}

/// The `GIT_PROTOCOL` the client asked for (protocol v2), if well-formed.
fn git_protocol(req: &HttpRequest) -> Option<String> {
    let v = req.headers().get("git-protocol")?.to_str().ok()?;
    v.split(':')
        .all(|p| p.starts_with("version=") && p.len() < 16)
        .then(|| v.to_string())
}

async fn run(
    dir: &PathBuf,
    args: &[&str],
    protocol: Option<String>,
    input: &[u8],
) -> Result<Vec<u8>> {
    let mut cmd = tokio::process::Command::new("git");
    cmd.arg("upload-pack")
        .args(args)
        .arg(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(p) = protocol {
        cmd.env("GIT_PROTOCOL", p);
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| Error::Io(std::io::Error::other(format!("cannot run git: {e}"))))?;
    if let Some(mut stdin) = child.stdin.take() {
        let input = input.to_vec();
        tokio::spawn(async move {
            let _ = stdin.write_all(&input).await;
        });
    }
    let out = child.wait_with_output().await?;
    if !out.status.success() {
        tracing::warn!(stderr = %String::from_utf8_lossy(&out.stderr), "git upload-pack failed");
        return Err(Error::BadRequest(
            "git upload-pack refused the request".into(),
        ));
    }
    Ok(out.stdout)
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
    let (_, dir) = repo_dir(&state, &path)?;
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
    let refs = run(
        &dir,
        &["--stateless-rpc", "--advertise-refs"],
        protocol,
        b"",
    )
    .await?;
    let mut body = Vec::new();
    if !v2 {
        body.extend_from_slice(b"001e# service=git-upload-pack\n0000");
    }
    body.extend_from_slice(&refs);
    Ok(HttpResponse::Ok()
        .content_type("application/x-git-upload-pack-advertisement")
        .insert_header(("Cache-Control", "no-cache"))
        .body(body))
}

async fn upload_pack(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse> {
    let (_, dir) = repo_dir(&state, &path)?;
    let mut body = read_body(&req, payload, MAX_NEGOTIATION).await?.to_vec();
    let gzip = req
        .headers()
        .get("content-encoding")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("gzip"));
    if gzip {
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(body.as_slice())
            .take(MAX_NEGOTIATION as u64 + 1)
            .read_to_end(&mut plain)
            .map_err(|e| Error::BadRequest(format!("bad gzip body: {e}")))?;
        if plain.len() > MAX_NEGOTIATION {
            return Err(Error::TooLarge("request too large".into()));
        }
        body = plain;
    }
    let out = run(&dir, &["--stateless-rpc"], git_protocol(&req), &body).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/x-git-upload-pack-result")
        .insert_header(("Cache-Control", "no-cache"))
        .body(out))
}

async fn receive_pack() -> Result<HttpResponse> {
    Err(Error::Forbidden(
        "pushing over HTTP is not offered; push over SSH".into(),
    ))
}

async fn pushes(state: web::Data<AppState>, path: web::Path<String>) -> Result<HttpResponse> {
    let (r, _) = repo_dir(&state, &path)?;
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
