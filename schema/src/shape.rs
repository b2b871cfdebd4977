// SPDX-License-Identifier: AGPL-3.0-or-later
//! The required shape of each activity type Orchard acts on, checked before an incoming
//! activity is stored: what `object` must be (present, an IRI, an embedded activity with a
//! type, ...). Types not listed here are only required to parse as an `Activity`.

use crate::activity::Activity;
use crate::reference::ObjectRef;

/// Why an activity's shape is refused, in words for the sender.
pub type ShapeError = String;

/// Checks the shape `activity.kind` requires; `Err` names the first thing missing.
pub fn check(activity: &Activity) -> Result<(), ShapeError> {
    let kind = activity.kind.as_str();
    match kind {
        "Follow" | "Like" | "Announce" => object_reference(activity),
        "Undo" => undo(activity),
        "Accept" | "Reject" | "Create" | "Offer" | "Invite" | "Add" | "Remove" | "Grant"
        | "Revoke" | "Delete" | "Update" => object_present(activity).map(|_| ()),
        _ => Ok(()),
    }
}

fn object_present(activity: &Activity) -> Result<&ObjectRef, ShapeError> {
    activity
        .object
        .as_ref()
        .ok_or_else(|| format!("a {} needs an object", activity.kind))
}

/// `object` names something by IRI (or is an embedded object with an `id`).
fn object_reference(activity: &Activity) -> Result<(), ShapeError> {
    match object_present(activity)? {
        ObjectRef::Term(t) => {
            let shown: String = t.chars().take(60).collect();
            Err(format!(
                "the object of a {} must be an IRI, not {shown:?}",
                activity.kind
            ))
        }
        object if object.id().is_none() => Err(format!(
            "the object of a {} must be an IRI or an object with an id",
            activity.kind
        )),
        _ => Ok(()),
    }
}

/// An Undo's object is an IRI (of an activity received before) or an embedded activity with a
/// type; an embedded Like, Follow or Announce has its own actor and object.
fn undo(activity: &Activity) -> Result<(), ShapeError> {
    let object = match object_present(activity)? {
        ObjectRef::Iri(_) => return Ok(()),
        ObjectRef::Term(_) => {
            return Err("the object of an Undo must be an activity or its IRI".into())
        }
        ObjectRef::Object(object) => object,
    };
    if object.kind.is_none() {
        return Err("the activity an Undo embeds has no type".into());
    }
    if !["Like", "Follow", "Announce"]
        .iter()
        .any(|t| object.has_type(t))
    {
        return Ok(());
    }
    let inner: Activity = object
        .to_typed()
        .ok_or_else(|| "the activity an Undo embeds has no actor".to_string())?;
    if inner.actor_id().is_none() {
        return Err(format!("the {} an Undo embeds has no actor", inner.kind));
    }
    object_reference(&inner)
        .map_err(|e| format!("the {} an Undo embeds is malformed: {e}", inner.kind))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn shape(v: Value) -> Result<(), ShapeError> {
        check(&serde_json::from_value(v).unwrap())
    }

    const A: &str = "https://a.example/u/1";
    const R: &str = "https://b.example/repos/r";

    #[test]
    fn refuses_what_each_type_needs() {
        let like = json!({"type": "Like", "actor": A, "object": R});
        let refused = [
            json!({"type": "Follow", "actor": A}),
            json!({"type": "Like", "actor": A}),
            json!({"type": "Like", "actor": A, "object": "not an iri"}),
            json!({"type": "Like", "actor": A, "object": {"type": "Note"}}),
            json!({"type": "Undo", "actor": A}),
            json!({"type": "Undo", "actor": A, "object": "nothing"}),
            json!({"type": "Undo", "actor": A, "object": {"actor": A, "object": R}}),
            json!({"type": "Undo", "actor": A, "object": {"type": "Like", "object": R}}),
            json!({"type": "Undo", "actor": A, "object": {"type": "Like", "actor": A}}),
            json!({"type": "Undo", "actor": A, "object": {"type": "Follow", "actor": A}}),
            json!({"type": "Accept", "actor": A}),
            json!({"type": "Create", "actor": A}),
        ];
        for v in refused {
            let e = shape(v.clone()).unwrap_err();
            assert!(!e.is_empty(), "{v}");
        }
        let accepted = [
            like.clone(),
            json!({"type": "Like", "actor": A, "object": {"id": R, "type": "Repository"}}),
            json!({"type": "Undo", "actor": A, "object": like}),
            json!({"type": "Undo", "actor": A, "object": "https://a.example/likes/1"}),
            json!({"type": "Follow", "actor": A, "object": R}),
            json!({"type": "Grant", "actor": A, "object": "admin"}),
            json!({"type": "Dance", "actor": A}),
        ];
        for v in accepted {
            assert_eq!(shape(v.clone()), Ok(()), "{v}");
        }
    }
}
