//! Addressing of activity JSON: the addressing properties, the IRIs they hold, adding a
//! recipient, and the hidden audience (`bto`/`bcc`): reading it, stripping it from what is
//! stored or served, and telling a public activity (see `publish::audience` for who reads what).

use serde_json::{json, Map, Value};
use url::Url;

/// Addressing properties, in the order they are read.
pub const ADDRESSING: [&str; 5] = ["to", "cc", "bto", "bcc", "audience"];

/// The addressing properties that are never served.
pub const HIDDEN_PROPS: [&str; 2] = ["bto", "bcc"];

/// The IRIs an addressing property holds (a string or an array of strings).
pub fn addressed(activity: &Value, prop: &str) -> Vec<Url> {
    match activity.get(prop) {
        Some(Value::String(s)) => Url::parse(s).into_iter().collect(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().and_then(|s| Url::parse(s).ok()))
            .collect(),
        _ => Vec::new(),
    }
}

/// Adds an IRI to the `to` of an activity unless it is addressed already.
pub fn add_to(activity: &mut Map<String, Value>, iri: &Url) {
    let already = ADDRESSING.iter().any(|p| {
        addressed(&Value::Object(activity.clone()), p)
            .iter()
            .any(|u| u == iri)
    });
    if already {
        return;
    }
    let entry = activity.entry("to").or_insert_with(|| json!([]));
    match entry {
        Value::Array(items) => items.push(json!(iri)),
        other => {
            let previous = other.take();
            *other = json!([previous, iri]);
        }
    }
}

/// Removes `bto` and `bcc` from an activity and from every object embedded in it.
pub fn strip_hidden(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for prop in HIDDEN_PROPS {
                map.remove(prop);
            }
            for v in map.values_mut() {
                strip_hidden(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_hidden),
        _ => {}
    }
}

/// A copy of `value` without `bto`/`bcc` anywhere.
pub fn stripped(value: &Value) -> Value {
    let mut v = value.clone();
    strip_hidden(&mut v);
    v
}

/// The IRIs in an activity's own `bto` and `bcc`.
pub fn hidden_audience(activity: &Value) -> Vec<Url> {
    HIDDEN_PROPS
        .iter()
        .flat_map(|p| addressed(activity, p))
        .collect()
}

/// True when an activity is addressed to the public (in `to`, `cc` or `audience`: a Public
/// hidden in `bcc` makes nothing public).
pub fn is_public(activity: &Value) -> bool {
    let public = |v: &Value| {
        v.as_str().is_some_and(|s| {
            s == "Public" || Url::parse(s).is_ok_and(|u| schema::context::is_public(&u))
        })
    };
    ADDRESSING
        .iter()
        .filter(|p| !HIDDEN_PROPS.contains(p))
        .any(|p| match activity.get(*p) {
            Some(Value::Array(items)) => items.iter().any(public),
            Some(v) => public(v),
            None => false,
        })
}
