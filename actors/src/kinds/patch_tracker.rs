//! The PatchTracker actor: a merge request tracker with its own tree (`patchtracker/<id>`),
//! key, inbox and outbox. It is linked to the repositories it tracks patches for
//! (`tracksPatchesFor`, by mutual consent: `activities::merge_requests::link`; its admin removes
//! one with `link_remove`, its followers then told by `Update`), opens merge
//! requests against them (`Offer{Ticket}` with an `Offer` attachment:
//! `activities::merge_requests::open`), keeps their discussions (`Create{Note}`), closes and
//! reopens them (`Resolve`, `Undo{Resolve}`) with the tickets' handlers, fetches their versions
//! into the target repository and merges them (`Apply`) through git jobs. A merge request is a
//! ticket of this tracker (`data::tickets`) plus its merge request fields
//! (`data::merge_requests`); IRIs `/patch-trackers/{id}/merge-requests/{n}`. Public (anyone may
//! open and comment) unless its record's `extra.public` is false, as a TicketTracker.

use crate::activities::merge_requests::{apply, jobs, link, link_remove, open, revisions};
use crate::actor::state::ActorCore;
use crate::base::error::{ActorError, Result};
use crate::base::kind::ActorKind;
use crate::data::{merge_requests as mrs, tickets};
use crate::kinds::accepted::PatchTrackerActivity;
use crate::kinds::ticket_tracker::{GetComment, GetTicket, GetTicketCollection, GetTickets};
use crate::runtime::resource::Resource;
use actix::prelude::*;
use serde_json::{json, Value};

/// A local PatchTracker.
pub struct PatchTracker {
    pub core: ActorCore,
}

/// One version of a merge request (`{mr}/versions/{v}`): an OrderedCollection of its Patches.
#[derive(Message)]
#[rtype(result = "Result<Value>")]
pub struct GetVersion {
    pub number: u64,
    pub v: u64,
}

impl Handler<GetVersion> for PatchTracker {
    type Result = Result<Value>;
    fn handle(&mut self, msg: GetVersion, _: &mut Self::Context) -> Self::Result {
        let core = &self.core;
        let missing = || ActorError::NotFound(format!("version {} of {}", msg.v, msg.number));
        let mr = mrs::load(core, msg.number)?.ok_or_else(missing)?;
        let version = mr
            .versions
            .iter()
            .find(|v| v.v == msg.v)
            .ok_or_else(missing)?;
        let mut doc = mrs::version_document(core, &mr, version);
        doc["@context"] = json!(schema::context::default_context());
        Ok(doc)
    }
}

crate::kinds::ticket_tracker::ticket_reads!(PatchTracker);

/// The tracker's actor document: `tracksPatchesFor`, `mergeRequests`, `public`.
fn document(core: &ActorCore) -> schema::Actor {
    let mut doc = core.document();
    let extra = &mut doc.extra;
    extra.insert("public".into(), json!(tickets::is_public(core)));
    let repos = mrs::linked_repositories(&core.record);
    extra.insert(mrs::TRACKS_PATCHES_FOR.into(), json!(repos));
    let list = core.env.urls.tickets(&core.r);
    extra.insert("mergeRequests".into(), json!(list));
    let context = doc.context.take().unwrap_or_default();
    let context = crate::urls::vocabulary::with_orchard_context(&core.env.urls, context);
    doc.context = Some(context);
    doc
}

/// A tracker admin's Remove of a repository (`link_remove`); once the link is gone, the
/// followers are told by `Update`.
fn remove_repository(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<()> {
    if link_remove::removed(core, activity, raw)? {
        crate::kinds::repository_edit::announce(core, &document(core))?;
    }
    Ok(())
}

impl Actor for PatchTracker {
    type Context = Context<Self>;
}

impl Resource for PatchTracker {
    const KIND: ActorKind = ActorKind::PatchTracker;

    type Accepted = PatchTrackerActivity;

    core_accessors!();

    fn document(&self) -> schema::Actor {
        document(&self.core)
    }

    fn git_job_done(
        &mut self,
        done: crate::actor::git_jobs::GitJobDone,
        _ctx: &mut Context<Self>,
    ) -> Result<()> {
        jobs::done(&mut self.core, done)
    }

    fn handle_activity(
        &mut self,
        activity: PatchTrackerActivity,
        raw: &Value,
        _ctx: &mut Context<Self>,
    ) -> Result<()> {
        use crate::activities::merge_requests::{review, review_comment};
        use crate::activities::merge_requests::{review_dismiss, review_resolve};
        use PatchTrackerActivity as P;
        let core = &mut self.core;
        crate::kinds::ticket_tracker::tracker_activity!(P, core, activity, raw, {
            P::Invite(a) if link::is_link_invite(core, &a) => link::invited(core, &a, raw),
            P::Accept(a) if link::handles_accept(core, &a)? => link::accept(core, &a, raw),
            P::Remove(a) if link_remove::names_repository(core, &a, raw)? => {
                remove_repository(core, &a, raw)
            }
            P::Grant(a) => link::granted(core, &a, raw),
            P::Revoke(a) => link::revoked(core, &a, raw),
            P::Offer(a) => open::received(core, &a, raw),
            P::Apply(a) => apply::received(core, &a, raw),
            P::Push(a) => revisions::pushed(core, &a, raw),
            P::Review(a) => review::received(core, &a, raw),
            P::ReviewComment(a) => review_comment::received(core, &a, raw),
            P::ResolveThread(a) => review_resolve::resolved(core, &a, raw, true),
            P::UnresolveThread(a) => review_resolve::resolved(core, &a, raw, false),
            P::Dismiss(a) => review_dismiss::received(core, &a, raw),
        })
    }
}

common_handlers!(PatchTracker);
