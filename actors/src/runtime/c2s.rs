//! C2S: an activity its owner posts to a local actor's outbox. It gets an id and the actor as
//! its `actor`, the sender's own side of it is applied (`activities::outbox_post`), and it is
//! published like any other (`publish::outbox`).

use crate::actor::state::ActorCore;
use crate::base::error::{ActorError, Result};
use crate::publish::outbox::{new_local_id, publish_as};
use serde_json::{json, Value};
use url::Url;

/// C2S: an activity posted to this actor's outbox by its owner.
pub fn post_outbox(core: &mut ActorCore, activity: Value) -> Result<Url> {
    let Value::Object(mut map) = activity else {
        return Err(ActorError::Invalid(
            "an activity must be a JSON object".into(),
        ));
    };
    if !map.get("type").is_some_and(Value::is_string) {
        return Err(ActorError::Invalid("the activity has no type".into()));
    }
    let local_id = new_local_id();
    map.insert(
        "id".into(),
        json!(core.env.urls.activity(&core.r, &local_id)),
    );
    map.insert("actor".into(), json!(core.iri()));
    let parsed: schema::Activity = serde_json::from_value(Value::Object(map.clone()))
        .map_err(|e| ActorError::Invalid(format!("not a valid activity: {e}")))?;
    crate::activities::outbox_post::apply(core, &parsed, &mut map)?;
    publish_as(core, &local_id, Value::Object(map))
}
