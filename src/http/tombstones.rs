//! The answer for a deleted local actor, in one place: every route that finds no stored actor
//! asks `missing`, which is `Error::Gone` (410, the ActivityStreams `Tombstone` of the IRI
//! asked for) when the actor was deleted (`actors::data::tombstones`), else the caller's 404.
//! `git_missing` is the same for git clients (410 with a text message git shows).
//! `refuse_suspended` answers a suspended person's IRIs the same way (410 with a Tombstone).

use super::state::AppState;
use crate::error::Error;
use actix_web::HttpRequest;
use actors::data::suspension;
use actors::data::tombstones::{self, Tombstone};
use actors::{ActorKind, ActorRef};

/// `Error::Gone` with the Tombstone document of the IRI `req` asked for when `r` was deleted,
/// else `not_found`.
pub fn missing(state: &AppState, req: &HttpRequest, r: &ActorRef, not_found: Error) -> Error {
    match tombstones::get(state.registry.store(), r) {
        Ok(Some(t)) => gone(state, req, r, &t, deleted_message(r)),
        Ok(None) => not_found,
        Err(e) => e.into(),
    }
}

/// `Error::Gone` with the Tombstone document `t` of the IRI `req` asked for.
fn gone(
    state: &AppState,
    req: &HttpRequest,
    r: &ActorRef,
    t: &Tombstone,
    message: String,
) -> Error {
    let base = state.urls.base();
    let mut asked = base.clone();
    asked.set_path(&format!(
        "{}{}",
        base.path().trim_end_matches('/'),
        req.path()
    ));
    let doc = tombstones::document(&state.urls, r, t, &asked);
    Error::Gone {
        message,
        document: Some(Box::new(doc)),
    }
}

/// Err(`Error::Gone`, a Tombstone as for a deleted actor) when `r` is a local person whose
/// account is suspended (`actors::data::suspension`): what every route serving a stored actor
/// asks after `actor_exists`, so remote servers see the person as gone until unsuspended.
pub fn refuse_suspended(state: &AppState, req: &HttpRequest, r: &ActorRef) -> Result<(), Error> {
    if r.kind != ActorKind::Person {
        return Ok(());
    }
    let Some(since) = suspension::suspended_since(state.registry.store(), &r.id)? else {
        return Ok(());
    };
    let t = Tombstone {
        former_type: r.kind.as_type().to_string(),
        deleted: since,
        by: None,
    };
    Err(gone(state, req, r, &t, format!("person {} is gone", r.id)))
}

/// `Error::Gone` with a text message (for git clients) when `r` was deleted, else `not_found`.
pub fn git_missing(state: &AppState, r: &ActorRef, not_found: Error) -> Error {
    match tombstones::is_deleted(state.registry.store(), r) {
        Ok(true) => Error::Gone {
            message: deleted_message(r),
            document: None,
        },
        Ok(false) => not_found,
        Err(e) => e.into(),
    }
}

/// "repository X was deleted".
pub fn deleted_message(r: &ActorRef) -> String {
    let kind = r.kind.as_type().to_ascii_lowercase();
    format!("{kind} {} was deleted", r.id)
}
