//! The one path every web form's action takes: the activity is posted as the signed-in person
//! through exactly the code of `POST {person}/outbox` (`http::outbox::post_activity`), so the
//! web, C2S and S2S can never disagree.

use crate::error::Result;
use crate::http::outbox::post_activity;
use crate::http::state::AppState;
use actors::{ActorKind, ActorRef};

/// Posts `activity` to `username`'s outbox (the factory-creator check, the client post, the
/// flush) and answers the new activity's id.
pub async fn submit(
    state: &AppState,
    username: &str,
    activity: serde_json::Value,
) -> Result<url::Url> {
    let person = ActorRef::new(ActorKind::Person, username);
    post_activity(state, &person, activity).await
}
