//! The followers collection of a remote actor, for shared-inbox routing
//! (`actors::inbox_routing`): read from the actor's document, fetched once and cached in the
//! instance tree as `followers-of 0xFF <actor iri>` -> JSON `FollowersOf` for a day. Also the
//! server's side of routing an activity POSTed to the shared inbox.

use crate::error::Result;
use crate::federation::state::FederationState;
use crate::federation::verified_activity::Verified;
use actors::base::clock::now_ms;
use actors::storage::codec;
use actors::storage::layout::{self, FOLLOWERS_OF};
use actors::ActorRef;
use serde::{Deserialize, Serialize};
use tracing::Instrument;
use url::Url;

/// How long a remote actor's followers collection IRI is trusted before it is fetched again.
const FOLLOWERS_TTL_MS: u64 = 24 * 3600 * 1000;

/// The followers collection a remote actor's document names (None: it names none).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FollowersOf {
    pub followers: Option<String>,
    pub fetched_ms: u64,
}

/// The existing local actors an activity POSTed to the shared inbox is for (see
/// `actors::inbox_routing`), remote followers collections resolved here.
pub async fn shared_inbox_targets(state: &FederationState, v: &Verified) -> Result<Vec<ActorRef>> {
    let resolve = |actor: Url| async move { followers_collection(state, &actor).await };
    Ok(actors::flows::inbox_routing::shared_inbox_targets(
        &state.registry,
        &v.parsed,
        &v.actor,
        resolve,
    )
    .await?)
}

/// Hands a verified activity to each target actor, in a span naming its actor, the activity
/// and the recipients; answers (stored, duplicates).
pub async fn store_for(
    state: &FederationState,
    targets: &[ActorRef],
    v: &Verified,
) -> Result<(usize, usize)> {
    let recipients: Vec<String> = targets
        .iter()
        .map(|r| state.urls.actor(r).to_string())
        .collect();
    let span = tracing::info_span!("inbox", actor = %v.actor, activity = %v.id, recipient = %recipients.join(" "));
    let (stored, duplicates) =
        actors::flows::inbox_routing::store_for(&state.registry, targets, &v.activity, &v.id)
            .instrument(span)
            .await?;
    tracing::debug!(activity = %v.id, actor = %v.actor, kind = %v.parsed.kind, stored, duplicates, "inbox POST accepted");
    Ok((stored, duplicates))
}

/// The followers collection of a remote actor, from the cache or its document. None when the
/// document names none or cannot be fetched (then nobody is reached through it).
async fn followers_collection(
    state: &FederationState,
    actor: &Url,
) -> actors::error::Result<Option<Url>> {
    let key = layout::key(FOLLOWERS_OF, actor.as_str().as_bytes());
    let instance = state.registry.store().instance();
    if let Some(bytes) = instance.get(&key)? {
        if let Ok(cached) = codec::decode::<FollowersOf>(&bytes) {
            if now_ms().saturating_sub(cached.fetched_ms) < FOLLOWERS_TTL_MS {
                return Ok(cached.followers.and_then(|f| Url::parse(&f).ok()));
            }
        }
    }
    let doc = match state.fetcher.fetch_json(actor).await {
        Ok(doc) => doc,
        Err(e) => {
            tracing::info!(%actor, error = %e, "cannot fetch the actor's followers collection; its followers here are not reached");
            return Ok(None);
        }
    };
    let followers = doc
        .get("followers")
        .and_then(|f| f.as_str())
        .and_then(|f| Url::parse(f).ok());
    let entry = FollowersOf {
        followers: followers.as_ref().map(|f| f.to_string()),
        fetched_ms: now_ms(),
    };
    instance.insert(key, codec::encode(&entry)?)?;
    Ok(followers)
}
