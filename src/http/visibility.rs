//! Private repositories over HTTP: whether a reader may see a local actor (a private repository
//! only those its Repository actor lets read it, see `actors::repository_visibility`; every
//! other actor everyone), and the 404 everyone else gets, worded as for an actor that does not
//! exist so that privacy does not reveal existence. Every route that serves something of an
//! actor by its path asks here (documents, collections, activities, code, clones).

use super::reader::reader;
use super::state::AppState;
use crate::error::{Error, Result};
use actix_web::HttpRequest;
use actors::audience::Reader;
use actors::kinds::repository_visibility::MayRead;
use actors::repository::Repository;
use actors::{ActorKind, ActorRef};

/// Whether `reader` may see the local actor `r`.
pub async fn may_see(state: &AppState, r: &ActorRef, reader: &Reader) -> Result<bool> {
    if r.kind != ActorKind::Repository {
        return Ok(true);
    }
    let addr = state.registry.get::<Repository>(&r.id).await?;
    let reader = reader.clone();
    Ok(addr
        .send(MayRead { reader })
        .await
        .map_err(actors::ActorError::from)?)
}

/// The 404 of an actor that does not exist, for one the request may not see.
pub fn hidden(r: &ActorRef) -> Error {
    Error::NotFound(format!("no {} named {:?}", r.kind, r.id))
}

/// `Ok` when the request may see `r`; otherwise `hidden(r)`.
pub async fn require_visible(state: &AppState, req: &HttpRequest, r: &ActorRef) -> Result<()> {
    if r.kind != ActorKind::Repository {
        return Ok(());
    }
    let reader = reader(state, req, r).await?;
    match may_see(state, r, &reader).await? {
        true => Ok(()),
        false => Err(hidden(r)),
    }
}
