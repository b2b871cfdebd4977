//! Who is reading: a verified HTTP signer (a remote actor or instance), else the bearer of a
//! token (the owner of the actor read, an admin, or another local person), else nobody. Every
//! route whose answer depends on the reader (non-public activities, private repositories) asks
//! here, so they all agree.

use super::auth;
use super::state::AppState;
use crate::error::Result;
use actix_web::HttpRequest;
use actors::audience::Reader;
use actors::{ActorKind, ActorRef};

/// Who asks for something of `r`. A bad signature or token is a 401.
pub async fn reader(state: &AppState, req: &HttpRequest, r: &ActorRef) -> Result<Reader> {
    if let Some(signer) = crate::federation::signed_get::signer(&state.federation, req).await? {
        return Ok(Reader::Actor(signer));
    }
    let Some(user) = auth::user(state, req)? else {
        return Ok(Reader::Anonymous);
    };
    Ok(if r.kind == ActorKind::Person && r.id == user {
        Reader::Owner
    } else if auth::has_role(state, &user, actors::accounts::Role::Admin)? {
        Reader::Admin
    } else {
        Reader::Actor(state.urls.actor(&ActorRef::new(ActorKind::Person, user)))
    })
}
