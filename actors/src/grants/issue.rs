//! Issuing a Grant: a resource gives `role` on itself to a person (local or remote), publishes
//! the Grant and records it (`data::grants`). A remote grantee's SSH keys are fetched so they
//! can push and clone here.

use crate::actor::state::ActorCore;
use crate::base::clock::now_rfc3339;
use crate::base::error::{ActorError, Result};
use crate::data::grants::{granted_key, local_activity_id, GrantRecord, Window};
use crate::publish::outbox;
use crate::storage::codec;
use crate::storage::layout;
use crate::storage::layout::GRANT;
use schema::Role;
use serde_json::json;
use url::Url;

/// Issues a Grant of `role` on this resource to `target` and sends it (to the target, cc the
/// others given). Answers the Grant's IRI.
pub fn issue_grant(
    core: &ActorCore,
    target: &Url,
    role: Role,
    fulfills: Option<&Url>,
    window: &Window,
    cc: &[Url],
) -> Result<Url> {
    let me = core.iri();
    let fields = grant_fields(&me, target, role, fulfills, window, cc);
    let id = outbox::emit(core, "Grant", fields.clone(), std::slice::from_ref(target))?;
    let local = local_activity_id(core, &id)
        .ok_or_else(|| ActorError::Task("grant id outside the actor".into()))?
        .to_string();
    if core
        .tree
        .contains_key(layout::key(GRANT, local.as_bytes()))?
    {
        // A re-run after a crash: this Grant exists (and may have been revoked since).
        return Ok(id);
    }
    let record = GrantRecord {
        id: id.to_string(),
        target: target.to_string(),
        role,
        context: me.to_string(),
        fulfills: fulfills.map(|f| f.to_string()),
        start_time: fields["startTime"].as_str().map(str::to_string),
        end_time: window.end_time.clone(),
        revoked: false,
        issued: now_rfc3339(),
    };
    let mut batch = core.tree.batch();
    batch.insert(
        layout::key(GRANT, local.as_bytes()),
        codec::encode(&record)?,
    );
    batch.insert(granted_key(target.as_str(), &local), &[][..]);
    core.tree.apply_batch(batch)?;
    if !core.env.urls.is_local(target) {
        // A remote grantee may push or clone here over SSH with the keys their home lists.
        crate::data::remote_ssh_keys::RemoteSshKeys::new(core.env.store.clone())
            .add_grantee(target)?;
    }
    tracing::info!(grant = %id, %target, role = %role, "granted");
    Ok(id)
}

/// The Grant's fields: `role` on `resource` for `target`, from now (or the window's start).
fn grant_fields(
    resource: &Url,
    target: &Url,
    role: Role,
    fulfills: Option<&Url>,
    window: &Window,
    cc: &[Url],
) -> serde_json::Value {
    let mut fields = json!({
        "object": role.as_str(),
        "context": resource,
        "target": target,
        "allows": "invoke",
        "startTime": window.start_time.clone().unwrap_or_else(now_rfc3339),
    });
    if let Some(f) = fulfills {
        fields["fulfills"] = json!(f);
    }
    if let Some(end) = &window.end_time {
        fields["endTime"] = json!(end);
    }
    if !cc.is_empty() {
        fields["cc"] = json!(cc);
    }
    fields
}
