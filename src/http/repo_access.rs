//! The one gate in front of everything read from a repository over HTTP (its browsing API, its
//! Commit and Branch objects; smart-HTTP and SSH clone ask the same question): the repository
//! named by the path, its bare directory, and who reads it. A repository that does not exist is
//! 404. Visibility (`private`) and deletion (410) are decided here, by the Repository actor.

use super::reader::reader;
use super::state::AppState;
use crate::error::{Error, Result};
use actix_web::HttpRequest;
use actors::audience::Reader;
use actors::{ActorKind, ActorRef};
use std::path::PathBuf;

/// A repository the request may read.
pub struct ReadableRepository {
    pub r: ActorRef,
    /// The bare git directory.
    pub dir: PathBuf,
    pub reader: Reader,
}

/// The repository `id` if the request may read it; 404 when there is no such repository.
pub async fn readable_repository(
    state: &AppState,
    req: &HttpRequest,
    id: &str,
) -> Result<ReadableRepository> {
    let segment = ActorKind::Repository.path_segment();
    let r = super::outbox::actor_from_path(state, req, segment, id)?;
    let reader = reader(state, req, &r).await?;
    readable_by(state, r, reader).await
}

/// The stored repository `r` if `reader` may read it (the web pages name the reader from the
/// session cookie); 404 otherwise.
pub async fn readable_by(
    state: &AppState,
    r: ActorRef,
    reader: Reader,
) -> Result<ReadableRepository> {
    if !super::visibility::may_see(state, &r, &reader).await? {
        return Err(Error::NotFound(format!("no {} named {:?}", r.kind, r.id)));
    }
    let dir = actors::creation::repo_path(state.registry.env(), &r.id);
    Ok(ReadableRepository { r, dir, reader })
}

/// Runs `read` on the repository at `dir` on a blocking thread, in one of the read slots, on a
/// pooled handle.
pub async fn read_repo<T: Send + 'static>(
    state: &AppState,
    dir: PathBuf,
    read: impl FnOnce(&gix::Repository) -> actors::error::Result<T> + Send + 'static,
) -> Result<T> {
    let (slot, pool) = state.repos.slot().await?;
    blocking(move || {
        let _slot = slot;
        pool.read(&dir, read)
    })
    .await
}

/// Runs a git read on a blocking thread (gix reads are blocking).
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> actors::error::Result<T> + Send + 'static,
) -> Result<T> {
    let answer = tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| actors::ActorError::Task(format!("git read: {e}")))?;
    Ok(answer?)
}
