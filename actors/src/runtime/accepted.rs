//! The door of an actor's inbox processing: a stored activity is parsed once into its kind's
//! closed enum of accepted activities (`Accepted`, one per kind in `kinds::accepted`), or is
//! stored and ignored (a type the kind does not act on) or skipped (it does not parse).

use serde_json::Value;

/// A kind's closed set of accepted activities.
pub trait Accepted: Sized {
    /// The variant an activity of type `kind` becomes (None: this kind does not act on it).
    fn variant(kind: &str) -> Option<fn(schema::Activity) -> Self>;
}

/// What the door makes of a stored activity.
pub enum Door<T> {
    /// The kind acts on it.
    Accepted(T),
    /// The kind does not act on this type: it stays in the inbox, nothing else happens.
    Ignored(String),
    /// Its type is accepted but it does not parse as an activity.
    Malformed(serde_json::Error),
}

/// Parses a stored activity into `T`, once: the type first, then the activity.
pub fn parse<T: Accepted>(raw: &Value) -> Door<T> {
    let kind = raw.get("type").and_then(Value::as_str).unwrap_or_default();
    let Some(variant) = T::variant(kind) else {
        return Door::Ignored(kind.to_string());
    };
    match <schema::Activity as serde::Deserialize>::deserialize(raw) {
        Ok(activity) => Door::Accepted(variant(activity)),
        Err(e) => Door::Malformed(e),
    }
}
