//! A repository's archived state (ForgeFed `isArchived`: read-only): set and cleared by an
//! admin's `Edit{object: {id: <this>, isArchived: true|false}}`, kept as `isArchived` in the
//! record's `extra`, shown in the document; while it is true every push and merge is refused
//! (clones still work).

use crate::actor::record::ActorRecord;
use crate::actor::state::ActorCore;
use crate::base::error::Result;
use serde_json::{json, Value};

/// The record field and document property.
pub const FIELD: &str = "isArchived";

/// Whether the repository is archived.
pub fn is_archived(record: &ActorRecord) -> bool {
    record.extra.get(FIELD).and_then(Value::as_bool) == Some(true)
}

/// Whether an Edit's object sets `isArchived` (then it is this file's to handle).
pub fn edits_archived(raw: &Value) -> bool {
    raw["object"].get(FIELD).is_some()
}

/// The `isArchived` of an Edit's object: a boolean.
pub fn parse(object: &Value) -> std::result::Result<Value, String> {
    match object.get(FIELD) {
        Some(Value::Bool(b)) => Ok(json!(b)),
        Some(_) => Err("isArchived must be true or false".into()),
        None => Err("nothing to edit: isArchived is missing".into()),
    }
}

/// Adds `isArchived` to the repository's document.
pub fn describe(record: &ActorRecord, doc: &mut schema::Actor) {
    doc.extra.insert(FIELD.into(), json!(is_archived(record)));
}

/// An admin's Edit of the repository's `isArchived`.
pub fn edit(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    let field = ("this repository", FIELD);
    crate::activities::edit::edit_field(core, activity, raw, field, parse)
}

/// Why a push is refused while the repository is archived.
pub fn push_refusal(core: &ActorCore) -> Option<String> {
    refusal(core, "push")
}

/// Why `action` (a push, a merge: anything writing git data) is refused while the repository is
/// archived.
pub fn refusal(core: &ActorCore, action: &str) -> Option<String> {
    is_archived(&core.record).then(|| {
        format!(
            "{action} refused: repository {} is archived (read-only); nothing was changed",
            core.r.id
        )
    })
}

#[cfg(test)]
mod tests {
    use super::parse;
    use serde_json::json;

    #[test]
    fn is_archived_is_a_boolean() {
        assert_eq!(parse(&json!({"isArchived": true})).unwrap(), json!(true));
        assert_eq!(parse(&json!({"isArchived": false})).unwrap(), json!(false));
        assert!(parse(&json!({"isArchived": "yes"})).is_err());
        assert!(parse(&json!({})).unwrap_err().contains("missing"));
    }
}
