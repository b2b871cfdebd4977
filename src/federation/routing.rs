//! Shared-inbox routing: which local actors get an activity POSTed to `/inbox`, and handing it
//! to them. A local actor gets it only when
//! - it is addressed directly (`to`, `cc`, `bto`, `bcc` or `audience` names it),
//! - it is the object of a Follow, or
//! - it follows an actor whose followers collection is addressed (that collection's IRI is read
//!   from the followed actor's document, fetched once and cached in the instance tree as
//!   `followers-of 0xFF <actor iri>` -> JSON `FollowersOf`), or the activity is public and it
//!   follows the sender.
//!
//! Any other IRI (a collection this instance cannot tell the members of, a remote actor) reaches
//! nobody here.

use crate::error::Result;
use crate::federation::inbox::Verified;
use crate::federation::remote::now_ms;
use crate::http::AppState;
use actors::activities::accept::local_followers_of;
use actors::messages::{Receive, Received};
use actors::storage::codec;
use actors::storage::layout::{self, FOLLOWERS_OF};
use actors::ActorRef;
use serde::{Deserialize, Serialize};
use url::Url;

/// Most actors whose followers collections one activity may reach here (the sender and the
/// owners of addressed `.../followers` IRIs): bounds the documents one POST can make us fetch.
const MAX_COLLECTION_OWNERS: usize = 16;

/// How long a remote actor's followers collection IRI is trusted before it is fetched again.
const FOLLOWERS_TTL_MS: u64 = 24 * 3600 * 1000;

/// The followers collection a remote actor's document names (None: it names none).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FollowersOf {
    pub followers: Option<String>,
    pub fetched_ms: u64,
}

fn add(targets: &mut Vec<ActorRef>, r: ActorRef) {
    if !targets.contains(&r) {
        targets.push(r);
    }
}

/// The existing local actors an activity POSTed to the shared inbox is for (see module docs).
pub async fn shared_inbox_targets(state: &AppState, v: &Verified) -> Result<Vec<ActorRef>> {
    let mut targets = Vec::new();
    let mut collections: Vec<&Url> = Vec::new();
    let mut public = false;
    for iri in v.parsed.recipients() {
        if schema::context::is_public(iri) {
            public = true;
        } else if let Some(r) = state.urls.parse_actor(iri) {
            add(&mut targets, r);
        } else if !state.urls.is_local(iri) && !collections.contains(&iri) {
            collections.push(iri);
        }
    }
    if v.parsed.kind == "Follow" {
        if let Some(r) = v.parsed.object_id().and_then(|o| state.urls.parse_actor(o)) {
            add(&mut targets, r);
        }
    }
    let store = state.registry.store();
    // Whose followers may be addressed: the sender's, and the owner of a `.../followers` IRI.
    let mut owners = vec![v.actor.clone()];
    for c in &collections {
        let owner = c.as_str().strip_suffix("/followers").map(Url::parse);
        if let Some(Ok(owner)) = owner {
            if !owners.contains(&owner) && owners.len() < MAX_COLLECTION_OWNERS {
                owners.push(owner);
            }
        }
    }
    for owner in owners {
        let followers = local_followers_of(store, &owner)?;
        if followers.is_empty() {
            continue;
        }
        let addressed = (public && owner == v.actor)
            || match followers_collection(state, &owner).await? {
                Some(c) => collections.iter().any(|iri| **iri == c),
                None => false,
            };
        if addressed {
            for r in followers.iter().filter_map(|t| ActorRef::from_tree_name(t)) {
                add(&mut targets, r);
            }
        }
    }
    let mut existing = Vec::new();
    for r in targets {
        if store.actor_exists(&r)? {
            existing.push(r);
        }
    }
    Ok(existing)
}

/// The followers collection of a remote actor, from the cache or its document. None when the
/// document names none or cannot be fetched (then nobody is reached through it).
async fn followers_collection(state: &AppState, actor: &Url) -> Result<Option<Url>> {
    if let Some(r) = state.urls.parse_actor(actor) {
        return Ok(Some(state.urls.actor_sub(&r, "followers")));
    }
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

/// Hands a verified activity to each target actor at once; each answers when its copy is
/// durable (the actors' writes share group commits). Answers (stored, duplicates).
pub async fn store_for(
    state: &AppState,
    targets: &[ActorRef],
    v: &Verified,
) -> Result<(usize, usize)> {
    let sends = targets.iter().map(|r| {
        let msg = Receive {
            activity: v.activity.clone(),
            id: v.id.clone(),
        };
        state.registry.send(r, msg)
    });
    let mut stored = 0;
    let mut duplicates = 0;
    for received in futures_util::future::join_all(sends).await {
        match received? {
            Received::Stored(_) => stored += 1,
            Received::Duplicate => duplicates += 1,
        }
    }
    tracing::debug!(activity = %v.id, actor = %v.actor, kind = %v.parsed.kind, stored, duplicates, "inbox POST accepted");
    Ok((stored, duplicates))
}
