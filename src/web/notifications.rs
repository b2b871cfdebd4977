//! Notifications of the signed-in person: their inbox as a feed, with read/unread state
//! (`actors::data::notifications`: a per-person high-water mark).

use crate::error::Result;
use crate::http::state::AppState;

/// Unread notifications of `username`.
pub fn unread(state: &AppState, username: &str) -> Result<u64> {
    Ok(actors::data::notifications::unread(
        state.registry.env(),
        username,
    )?)
}
