//! Who may report (open a ticket or comment) on a tracker.

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
