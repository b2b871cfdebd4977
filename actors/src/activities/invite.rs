//! Invite: an admin of a resource invites a person (local or remote) to a role. The resource
//! checks the inviter's Grant and keeps the invitation; the invitee keeps it too; when the
//! invitee Accepts, the resource sends the Grant.
//!
//! Keys: resource tree `invite 0xFF <invite id>` -> JSON `Invitation`;
//! person tree `invited 0xFF <invite id>` -> JSON `Invitation`.

use crate::actor::state::ActorCore;
use crate::base::error::{ActorError, Result};
use crate::data::grants::Window;
use crate::grants::capability;
use crate::grants::issue::issue_grant;
use crate::publish::reject::reject;
use crate::storage::codec;
use crate::storage::layout;
use crate::storage::layout::INVITE;
use crate::storage::layout::INVITED;
use schema::Role;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

/// A pending invitation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Invitation {
    pub inviter: String,
    pub invitee: String,
    pub resource: String,
    pub role: Role,
    #[serde(default)]
    pub start_time: Option<String>,
    #[serde(default)]
    pub end_time: Option<String>,
}

fn parse(activity: &schema::Activity) -> std::result::Result<Invitation, String> {
    let inviter = activity.actor_id().ok_or("the Invite has no actor")?;
    let invitee = activity
        .object_id()
        .ok_or("the Invite has no object (the invitee)")?;
    let resource = activity
        .target_id()
        .ok_or("the Invite has no target (the resource)")?;
    let role = activity.instrument_role().ok_or(
        "the Invite's instrument is not a role (visit, report, triage, write, maintain, admin)",
    )?;
    let window = Window::from_activity(activity).map_err(|e| e.to_string())?;
    Ok(Invitation {
        inviter: inviter.to_string(),
        invitee: invitee.to_string(),
        resource: resource.to_string(),
        role,
        start_time: window.start_time,
        end_time: window.end_time,
    })
}

/// Resource side: an Invite to this resource, checked against the inviter's Grant (admin).
pub fn received(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    let invitation = match parse(activity) {
        Ok(i) => i,
        Err(why) => return reject(core, activity, raw, &why),
    };
    if invitation.resource != core.iri().as_str() {
        return Err(ActorError::Invalid("Invite to another resource".into()));
    }
    if let Err(why) = capability::check(core, activity, Role::Admin) {
        return reject(core, activity, raw, &why);
    }
    let id = activity
        .id
        .as_ref()
        .ok_or_else(|| ActorError::Invalid("an Invite needs an id".into()))?;
    core.tree.insert(
        layout::key(INVITE, id.as_str().as_bytes()),
        codec::encode(&invitation)?,
    )?;
    tracing::info!(invitee = %invitation.invitee, role = %invitation.role, "invitation recorded");
    Ok(())
}

/// Person side: this person was invited; keep the invitation so an Accept can be addressed.
pub fn invited(core: &mut ActorCore, activity: &schema::Activity) -> Result<()> {
    let invitation = parse(activity).map_err(ActorError::Invalid)?;
    if invitation.invitee != core.iri().as_str() {
        return Err(ActorError::Invalid("Invite of someone else".into()));
    }
    if let Some(id) = &activity.id {
        core.tree.insert(
            layout::key(INVITED, id.as_str().as_bytes()),
            codec::encode(&invitation)?,
        )?;
    }
    Ok(())
}

/// Resource side: the invitee accepts; the resource grants the role, fulfilling the Invite.
pub fn accepted(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    let Some(invite_id) = activity.object_id().cloned() else {
        return Err(ActorError::Invalid("Accept without object".into()));
    };
    let key = layout::key(INVITE, invite_id.as_str().as_bytes());
    let Some(bytes) = core.tree.get(&key)? else {
        return reject(core, activity, raw, "no pending invitation with that id");
    };
    let invitation: Invitation = codec::decode(&bytes)?;
    let sender = activity.actor_id().map(|u| u.as_str());
    if sender != Some(invitation.invitee.as_str()) {
        return reject(
            core,
            activity,
            raw,
            "only the invitee may accept an invitation",
        );
    }
    let invitee =
        Url::parse(&invitation.invitee).map_err(|e| ActorError::Corrupt(e.to_string()))?;
    let inviter: Vec<Url> = Url::parse(&invitation.inviter).into_iter().collect();
    let window = Window {
        start_time: invitation.start_time.clone(),
        end_time: invitation.end_time.clone(),
    };
    issue_grant(
        core,
        &invitee,
        invitation.role,
        Some(&invite_id),
        &window,
        &inviter,
    )?;
    core.tree.remove(key)?;
    Ok(())
}

/// Person side: the invitation an outgoing Accept answers, if any.
pub fn invitation_for(core: &ActorCore, invite_id: &Url) -> Result<Option<Invitation>> {
    match core
        .tree
        .get(layout::key(INVITED, invite_id.as_str().as_bytes()))?
    {
        Some(v) => Ok(Some(codec::decode(&v)?)),
        None => Ok(None),
    }
}
