//! What inbox processing records in the actor's error box (`data::error_box`): an activity
//! whose handler failed, one that does not parse, and one of a type the actor does not act on,
//! but only when the actor is its object or target (every other ignored activity, e.g. one
//! delivered to followers, stays out of the box).

use crate::actor::state::ActorCore;
use crate::base::error::ActorError;
use crate::data::error_box::{self, is_about, safe_reason, Entry, Stage};
use serde_json::Value;

fn record(core: &ActorCore, entry: Entry) {
    error_box::record(&core.env.store, Some(&core.r), &entry.to(core.iri()));
}

/// The handler of `raw` failed with `e`.
pub fn failed(core: &ActorCore, raw: &Value, e: &ActorError) {
    record(core, Entry::about(Stage::Failed, raw, safe_reason(e)));
}

/// `raw`, of an accepted type, does not parse as an activity.
pub fn malformed(core: &ActorCore, raw: &Value, e: &serde_json::Error) {
    let why = format!("it does not parse as an activity: {e}");
    record(core, Entry::about(Stage::Malformed, raw, why));
}

/// The actor does not act on `raw`'s type `kind`: recorded when the actor is its object or
/// target.
pub fn ignored(core: &ActorCore, raw: &Value, kind: &str) {
    if !is_about(raw, core.iri().as_str()) {
        return;
    }
    let me = core.r.kind.as_type();
    let why = format!("a {me} does not act on {kind:?} activities; it was stored and ignored");
    record(core, Entry::about(Stage::Ignored, raw, why));
}
