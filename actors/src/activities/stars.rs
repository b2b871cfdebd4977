//! Stars: `Like{object: this Repository or Project}` stars it, at most once per person;
//! `Undo{Like}` by the same actor unstars (the Like embedded, or named by the IRI this actor
//! received it under). Stars are never re-sent: an incoming Like changes
//! only this actor's `likes` collection (no loop between federated repositories).
//!
//! Key: `likes 0xFF <actor iri>` -> JSON `Star`.

use crate::actor::state::ActorCore;
use crate::base::clock::now_rfc3339;
use crate::base::error::{ActorError, Result};
use crate::base::kind::ActorKind;
use crate::data::stars::Star;
use crate::storage::codec;
use crate::storage::layout;
use crate::storage::layout::LIKES;
use serde_json::Value;
use url::Url;

fn starrable(core: &ActorCore) -> bool {
    matches!(core.r.kind, ActorKind::Repository | ActorKind::Project)
}

/// A Like of this actor: one star per actor; a repeated Like changes nothing.
pub fn liked(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    if !starrable(core) {
        return Err(ActorError::Invalid(format!(
            "a {} cannot be starred",
            core.r.kind
        )));
    }
    if activity.object_id() != Some(&core.iri()) {
        return Err(ActorError::Invalid("a Like of another object".into()));
    }
    let liker = activity
        .actor_id()
        .ok_or_else(|| ActorError::Invalid("a Like without actor".into()))?;
    let key = layout::key(LIKES, liker.as_str().as_bytes());
    if core.tree.contains_key(&key)? {
        tracing::info!(%liker, "already starred; nothing changes");
        return Ok(());
    }
    let star = Star {
        like: activity
            .id
            .as_ref()
            .map(|u| u.to_string())
            .or_else(|| raw.get("startTime").map(|t| format!("startTime {t}")))
            .unwrap_or_default(),
        since: now_rfc3339(),
    };
    let rest = liker.as_str().as_bytes();
    crate::storage::sizes::insert(&core.tree, LIKES, rest, &codec::encode(&star)?)?;
    tracing::info!(%liker, "starred");
    Ok(())
}

/// An Undo of a Like (`inner`: embedded in the Undo, or the Like this actor received under the
/// IRI the Undo names): removes the star, only when the Undo's actor is the Like's actor.
pub fn unliked(core: &mut ActorCore, activity: &schema::Activity, inner: &Value) -> Result<()> {
    let undoer = activity
        .actor_id()
        .ok_or_else(|| ActorError::Invalid("an Undo without actor".into()))?;
    let like_actor = inner["actor"].as_str().and_then(|a| Url::parse(a).ok());
    if like_actor.as_ref() != Some(undoer) {
        return Err(ActorError::Forbidden(
            "the Undo's actor is not the Like's actor".into(),
        ));
    }
    let object = inner["object"]
        .as_str()
        .or_else(|| inner["object"]["id"].as_str());
    if object != Some(core.iri().as_str()) {
        return Err(ActorError::Invalid(
            "an Undo of a Like of another object".into(),
        ));
    }
    if crate::storage::sizes::remove(&core.tree, LIKES, undoer.as_str().as_bytes())?.is_some() {
        tracing::info!(%undoer, "unstarred");
    }
    Ok(())
}
