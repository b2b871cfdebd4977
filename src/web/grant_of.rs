//! The Grant the signed-in person holds on a resource of this or another instance, as the
//! web pages pick it (`actors::grants::held_on`, read on a blocking thread): which buttons a
//! page shows, and the `capability` a form's activity carries. The resource still checks the
//! Grant itself when the activity arrives; this only keeps a page from offering what would be
//! refused.

use crate::error::{Error, Result};
use crate::http::repo_access::blocking;
use crate::http::state::AppState;
use actors::grants::held_on::{self, HeldGrant};
use actors::{ActorKind, ActorRef};
use schema::Role;
use std::collections::BTreeMap;
use url::Url;

/// The Grant of the highest role `user` holds on `context`, if any.
pub async fn mine(state: &AppState, user: &str, context: &Url) -> Result<Option<HeldGrant>> {
    let env = state.registry.env().clone();
    let (person, context) = (ActorRef::new(ActorKind::Person, user), context.clone());
    blocking(move || held_on::best_on(&env, &person, &context)).await
}

/// Every active Grant `user` holds, by resource.
pub async fn all_mine(state: &AppState, user: &str) -> Result<BTreeMap<Url, Vec<HeldGrant>>> {
    let env = state.registry.env().clone();
    let person = ActorRef::new(ActorKind::Person, user);
    blocking(move || held_on::active(&env, &person)).await
}

/// Whether `held` allows an action needing `role`.
pub fn allows(held: &Option<HeldGrant>, role: Role) -> bool {
    held.as_ref().is_some_and(|g| g.role >= role)
}

/// The Grant `user` must hold on `context` for an action needing `role`: 403 otherwise.
pub async fn require(state: &AppState, user: &str, context: &Url, role: Role) -> Result<HeldGrant> {
    match mine(state, user, context).await? {
        Some(g) if g.role >= role => Ok(g),
        _ => Err(Error::Forbidden(format!(
            "this needs a Grant of at least {role} on {context}"
        ))),
    }
}
