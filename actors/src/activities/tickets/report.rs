//! Who may report (open a ticket or comment) on a tracker, and its admins' Edit of that (`public`),
//! for TicketTrackers and PatchTrackers alike.

use crate::actor::state::ActorCore;
use crate::data::tickets::is_public;
use crate::grants::capability;
use schema::Role;

/// Whether the sender may report (open or comment) here: anyone on a public tracker, unless a
/// capability is given and is invalid; `report` through a capability on a non-public one.
pub fn may_report(
    core: &ActorCore,
    activity: &schema::Activity,
) -> std::result::Result<(), String> {
    if is_public(core) && activity.capability.is_none() {
        return Ok(());
    }
    capability::check(core, activity, Role::Report)
        .map(|_| ())
        .map_err(String::from)
}

/// `Edit{object: {id: <tracker>, public: bool}, capability: <admin Grant>}`.
pub fn edit_public(
    core: &mut ActorCore,
    activity: &schema::Activity,
    raw: &serde_json::Value,
) -> crate::base::error::Result<()> {
    let field = ("this tracker", "public");
    crate::activities::edit::edit_field(core, activity, raw, field, |object| {
        let public = object.get("public").and_then(serde_json::Value::as_bool);
        let missing = "nothing to edit: public (true or false) is missing";
        public
            .map(serde_json::Value::Bool)
            .ok_or_else(|| missing.to_string())
    })
}
