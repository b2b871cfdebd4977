//! Shared-inbox routing: which local actors an activity POSTed to the shared inbox is for, and
//! handing it to them (`Receive`, one message per actor). A local actor gets it only when
//! - it is addressed directly (`to`, `cc`, `bto`, `bcc` or `audience` names it),
//! - it is the object of a Follow, or
//! - it follows an actor whose followers collection is addressed, or the activity is public
//!   and it follows the sender.
//!
//! Any other IRI (a collection this instance cannot tell the members of, a remote actor)
//! reaches nobody here. A remote actor's followers collection IRI is read from its document:
//! the caller resolves it (the server fetches and caches it), so nothing here does network I/O.

use crate::activities::accept::local_followers_of;
use crate::base::error::Result;
use crate::base::kind::ActorRef;
use crate::data::suspension;
use crate::registry::Registry;
use crate::runtime::messages::{Receive, Received};
use crate::urls::{owner_of_collection, Collection};
use serde_json::Value;
use std::future::Future;
use url::Url;

/// Most actors whose followers collections one activity may reach here (the sender and the
/// owners of addressed `.../followers` IRIs): bounds the documents one POST can make us fetch.
pub const MAX_COLLECTION_OWNERS: usize = 16;

fn add(targets: &mut Vec<ActorRef>, r: ActorRef) {
    if !targets.contains(&r) {
        targets.push(r);
    }
}

/// The local actors named directly (or followed, for a Follow), the collection IRIs addressed
/// that are not this instance's, and whether the activity is public.
fn addressed(registry: &Registry, parsed: &schema::Activity) -> (Vec<ActorRef>, Vec<Url>, bool) {
    let urls = registry.urls();
    let (mut targets, mut collections, mut public) = (Vec::new(), Vec::new(), false);
    for iri in parsed.recipients() {
        if schema::context::is_public(iri) {
            public = true;
        } else if let Some(r) = urls.parse_actor(iri) {
            add(&mut targets, r);
        } else if !urls.is_local(iri) && !collections.contains(iri) {
            collections.push(iri.clone());
        }
    }
    if parsed.kind == "Follow" {
        if let Some(r) = parsed.object_id().and_then(|o| urls.parse_actor(o)) {
            add(&mut targets, r);
        }
    }
    (targets, collections, public)
}

/// Whose followers may be addressed: the sender's, and the owner of a `.../followers` IRI.
fn collection_owners(sender: &Url, collections: &[Url]) -> Vec<Url> {
    let mut owners = vec![sender.clone()];
    for c in collections {
        if let Some(owner) = owner_of_collection(c, Collection::Followers) {
            if !owners.contains(&owner) && owners.len() < MAX_COLLECTION_OWNERS {
                owners.push(owner);
            }
        }
    }
    owners
}

/// The existing local actors an activity from `sender` is for (see module docs), suspended
/// people left out.
/// `remote_followers` names a remote actor's followers collection (None: it names none, or
/// its document cannot be had).
pub async fn shared_inbox_targets<F, Fut>(
    registry: &Registry,
    parsed: &schema::Activity,
    sender: &Url,
    mut remote_followers: F,
) -> Result<Vec<ActorRef>>
where
    F: FnMut(Url) -> Fut,
    Fut: Future<Output = Result<Option<Url>>>,
{
    let (mut targets, collections, public) = addressed(registry, parsed);
    let store = registry.store();
    for owner in collection_owners(sender, &collections) {
        let followers = local_followers_of(store, &owner)?;
        if followers.is_empty() {
            continue;
        }
        let reached = (public && owner == *sender)
            || match registry.urls().parse_actor(&owner) {
                Some(r) => {
                    collections.contains(&registry.urls().collection(&r, Collection::Followers))
                }
                None => match remote_followers(owner.clone()).await? {
                    Some(c) => collections.contains(&c),
                    None => false,
                },
            };
        if reached {
            for r in followers.iter().filter_map(|t| ActorRef::from_tree_name(t)) {
                add(&mut targets, r);
            }
        }
    }
    let mut existing = Vec::new();
    for r in targets {
        // A suspended person is gone: nothing addressed to them is stored.
        if store.actor_exists(&r)? && !suspension::is_suspended_actor(store, &r)? {
            existing.push(r);
        }
    }
    Ok(existing)
}

/// Hands a verified activity to each target actor at once; each answers when its copy is
/// durable (the actors' writes share group commits). Answers (stored, duplicates).
pub async fn store_for(
    registry: &Registry,
    targets: &[ActorRef],
    activity: &Value,
    id: &str,
) -> Result<(usize, usize)> {
    let sends = targets.iter().map(|r| {
        let msg = Receive {
            activity: activity.clone(),
            id: id.to_string(),
        };
        registry.send(r, msg)
    });
    let mut stored = 0;
    let mut duplicates = 0;
    for received in futures_util::future::join_all(sends).await {
        match received? {
            Received::Stored(_) => stored += 1,
            Received::Duplicate => duplicates += 1,
        }
    }
    Ok((stored, duplicates))
}
