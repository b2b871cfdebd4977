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

/// Whether `reader` may see the local actor `r`. A public repository is answered from its stored
/// record, without a message to its actor (whose mailbox a push may be holding); only a private
/// one asks the actor, which knows its Grants.
pub async fn may_see(state: &AppState, r: &ActorRef, reader: &Reader) -> Result<bool> {
    if r.kind != ActorKind::Repository {
        return Ok(true);
    }
    let stored = actors::data::listings::stored_record(state.registry.env(), r)?;
    if stored.is_some_and(|(_, record)| !actors::data::listings::is_private(&record)) {
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

/// `Ok` when `reader` may see `r`; otherwise `hidden(r)`.
pub async fn check_visible(state: &AppState, r: &ActorRef, reader: &Reader) -> Result<()> {
    match may_see(state, r, reader).await? {
        true => Ok(()),
        false => Err(hidden(r)),
    }
}

/// `Ok` when the request may see `r`; otherwise `hidden(r)`. Who reads is worked out only for a
/// repository (the one kind with a visibility).
pub async fn require_visible(state: &AppState, req: &HttpRequest, r: &ActorRef) -> Result<()> {
    if r.kind != ActorKind::Repository {
        return Ok(());
    }
    let reader = reader(state, req, r).await?;
    check_visible(state, r, &reader).await
}
