//! Embedding one activity in another: a copy without its `@context`, and recognising an Undo
//! by the type of the activity it embeds.

use serde_json::Value;

/// An embedded activity without its `@context`, for use as the `object` of another.
pub fn embedded(raw: &Value) -> Value {
    let mut v = raw.clone();
    if let Value::Object(m) = &mut v {
        m.remove("@context");
    }
    v
}

/// True when an Undo's object is an embedded activity of type `kind`.
pub fn is_undo_of(activity: &schema::Activity, kind: &str) -> bool {
    activity.kind == "Undo"
        && activity
            .object
            .as_ref()
            .and_then(|o| o.as_object())
            .is_some_and(|o| o.has_type(kind))
}
