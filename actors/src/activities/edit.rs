//! `Edit{object: {id: <this actor>, <field>: ...}}` of a resource's own settings: the object must
//! be the receiving actor and the sender must hold `admin` on it; the kind parses its one
//! editable field (a Factory's `availableActorTypes`, a tracker's `public`, a repository's
//! `federatedRepositories`), which is then kept in the actor's record. Anything else is a Reject.

use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::grants::capability;
use crate::publish::reject::reject;
use schema::Role;
use serde_json::Value;

/// Applies an Edit of `field` on this actor (`what` names it in refusals, e.g. "this Factory").
/// `parse` reads the new value from the Edit's object, or says why it is refused.
pub fn edit_field(
    core: &mut ActorCore,
    activity: &schema::Activity,
    raw: &Value,
    (what, field): (&str, &str),
    parse: impl FnOnce(&Value) -> std::result::Result<Value, String>,
) -> Result<()> {
    let object = &raw["object"];
    if object["id"].as_str() != Some(core.iri().as_str()) {
        return reject(
            core,
            activity,
            raw,
            format!("the Edit's object is not {what}"),
        );
    }
    if let Err(why) = capability::check(core, activity, Role::Admin) {
        return reject(core, activity, raw, &why);
    }
    let value = match parse(object) {
        Ok(value) => value,
        Err(why) => return reject(core, activity, raw, why),
    };
    core.record.extra.insert(field.into(), value);
    core.save_record()?;
    tracing::info!(actor = %core.r, field, "edited");
    Ok(())
}
