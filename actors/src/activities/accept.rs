//! Accept received: when it accepts a Follow this actor sent, the follow becomes effective.

use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::data::followers;
use crate::data::followers::Following;
use crate::storage::codec;
use crate::storage::layout::{self, FOLLOWING, FOLLOWS};

/// The pending follow an Accept or Reject answers, if it answers one of ours.
pub fn matching_follow(core: &ActorCore, activity: &schema::Activity) -> Result<Option<Following>> {
    let Some(by) = activity.actor_id() else {
        return Ok(None);
    };
    let Some(entry) = followers::following_entry(core, by)? else {
        return Ok(None);
    };
    let inner_id = activity.object_id().map(|u| u.to_string());
    let embedded: Option<schema::Activity> = activity.object_as();
    let matches = inner_id.as_deref() == Some(entry.follow.as_str())
        || embedded.is_some_and(|f| {
            f.kind == "Follow"
                && f.actor_id() == Some(&core.iri())
                && f.object_id() == Some(by)
                && f.id.is_none()
        });
    Ok(matches.then_some(entry))
}

pub fn received(core: &mut ActorCore, activity: &schema::Activity) -> Result<()> {
    let Some(mut entry) = matching_follow(core, activity)? else {
        // An Accept of something else (e.g. a Factory's Accept of a Create, with its `result`)
        // stays in the inbox for the person to read.
        tracing::info!(object = ?activity.object_id(), result = ?activity.result.as_ref().and_then(|r| r.id()), "Accept received");
        return Ok(());
    };
    let Some(by) = activity.actor_id() else {
        return Ok(());
    };
    if !entry.accepted {
        entry.accepted = true;
        core.tree.insert(
            layout::key(FOLLOWING, by.as_str().as_bytes()),
            codec::encode(&entry)?,
        )?;
        core.env
            .store
            .instance()
            .insert(follows_key(by, &core.r.tree_name()), &[][..])?;
        tracing::info!(followee = %by, "follow accepted");
    }
    Ok(())
}

/// `follows 0xFF <followee> 0xFF <follower tree>` in the instance tree.
pub fn follows_key(followee: &url::Url, follower_tree: &str) -> Vec<u8> {
    let mut k = layout::key(FOLLOWS, followee.as_str().as_bytes());
    k.push(layout::SEP);
    k.extend_from_slice(follower_tree.as_bytes());
    k
}

/// The local actors (tree names) that follow a remote actor.
pub fn local_followers_of(
    store: &crate::storage::store::Store,
    followee: &url::Url,
) -> Result<Vec<String>> {
    let mut pre = layout::key(FOLLOWS, followee.as_str().as_bytes());
    pre.push(layout::SEP);
    let mut out = Vec::new();
    for entry in store.instance().scan_prefix(&pre) {
        let (k, _) = entry?;
        out.push(String::from_utf8_lossy(&k[pre.len()..]).to_string());
    }
    Ok(out)
}
