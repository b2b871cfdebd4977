//! The TicketTracker actor: an issue tracker with its own tree (`tickettracker/<id>`), key, inbox
//! and outbox. It opens tickets (`Offer{Ticket}`), keeps their discussions (`Create{Note}`),
//! closes and reopens them (`Resolve`, `Undo{Resolve}`): see `activities::tickets` for the rules
//! and the key layout. A tracker is public (anyone may open and comment) unless its record's
//! `extra.public` is false; its admins change that with `Edit{object: {id, public}}`. The reads
//! (`ticket_reads!`) and the activities (`tracker_activity!`) both kinds of tracker handle
//! alike are defined here once, for both.

use crate::activities::tickets::{comment, offer};
use crate::actor::state::ActorCore;
use crate::base::error::{ActorError, Result};
use crate::base::kind::ActorKind;
use crate::data::tickets;
use crate::kinds::accepted::TicketTrackerActivity;
use crate::runtime::resource::Resource;
use crate::urls::TicketPart;
use actix::prelude::*;
use serde_json::{json, Value};
use url::Url;

/// A local TicketTracker.
pub struct TicketTracker {
    pub core: ActorCore,
}

/// The tickets collection (`{tracker}/tickets`), or one of its pages: embedded Tickets, newest first.
#[derive(Message)]
#[rtype(result = "Result<Value>")]
pub struct GetTickets {
    pub page: Option<u64>,
}

/// One Ticket document.
#[derive(Message)]
#[rtype(result = "Result<Value>")]
pub struct GetTicket {
    pub number: u64,
}

/// A collection of one ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketCollection {
    /// `{ticket}/discussion`: the Notes, oldest first.
    Discussion,
    /// `{ticket}/followers`: actor IRIs.
    Followers,
}

/// A collection of one ticket, or one of its pages.
#[derive(Message)]
#[rtype(result = "Result<Value>")]
pub struct GetTicketCollection {
    pub number: u64,
    pub which: TicketCollection,
    pub page: Option<u64>,
}

/// One comment (`{ticket}/comments/{seq}`), as stored in the discussion.
#[derive(Message)]
#[rtype(result = "Result<Value>")]
pub struct GetComment {
    pub number: u64,
    pub seq: u64,
}

/// Ticket `n` of a tracker, or NotFound.
fn ticket_of(core: &ActorCore, n: u64) -> Result<tickets::TicketRecord> {
    tickets::load(core, n)?.ok_or_else(|| ActorError::NotFound(format!("ticket {n}")))
}

/// `GetTickets` for either kind of tracker: its tickets (merge requests), newest first.
pub fn get_tickets(core: &ActorCore, msg: GetTickets) -> Result<Value> {
    let items = tickets::all(core)?
        .iter()
        .map(|t| crate::data::merge_requests::ticket_document(core, t))
        .collect::<Result<Vec<Value>>>()?;
    collection(&core.env.urls.tickets(&core.r), items, msg.page)
}

/// `GetTicket` for either kind of tracker.
pub fn get_ticket(core: &ActorCore, msg: GetTicket) -> Result<Value> {
    crate::data::merge_requests::ticket_document(core, &ticket_of(core, msg.number)?)
}

/// `GetTicketCollection` for either kind of tracker.
pub fn get_ticket_collection(core: &ActorCore, msg: GetTicketCollection) -> Result<Value> {
    let n = ticket_of(core, msg.number)?.number;
    let (part, items): (TicketPart, Vec<Value>) = match msg.which {
        TicketCollection::Discussion => (
            TicketPart::Discussion,
            tickets::discussion(core, n)?
                .into_iter()
                .map(|(_, c)| c.note)
                .collect(),
        ),
        TicketCollection::Followers => (
            TicketPart::Followers,
            tickets::followers(core, n)?
                .into_iter()
                .map(|f| json!(f))
                .collect(),
        ),
    };
    collection(
        &core.env.urls.ticket_part(&core.r, n, part),
        items,
        msg.page,
    )
}

/// `GetComment` for either kind of tracker.
pub fn get_comment(core: &ActorCore, msg: GetComment) -> Result<Value> {
    comment::get(core, msg.number, msg.seq)?.ok_or_else(|| {
        ActorError::NotFound(format!("comment {} of ticket {}", msg.seq, msg.number))
    })
}

/// The four ticket reads, for a tracker type holding its `core`.
macro_rules! ticket_reads {
    ($ty:ty) => {
        impl Handler<$crate::kinds::ticket_tracker::GetTickets> for $ty {
            type Result = Result<Value>;
            fn handle(&mut self, msg: GetTickets, _: &mut Self::Context) -> Self::Result {
                $crate::kinds::ticket_tracker::get_tickets(&self.core, msg)
            }
        }

        impl Handler<$crate::kinds::ticket_tracker::GetTicket> for $ty {
            type Result = Result<Value>;
            fn handle(&mut self, msg: GetTicket, _: &mut Self::Context) -> Self::Result {
                $crate::kinds::ticket_tracker::get_ticket(&self.core, msg)
            }
        }

        impl Handler<$crate::kinds::ticket_tracker::GetTicketCollection> for $ty {
            type Result = Result<Value>;
            fn handle(&mut self, msg: GetTicketCollection, _: &mut Self::Context) -> Self::Result {
                $crate::kinds::ticket_tracker::get_ticket_collection(&self.core, msg)
            }
        }

        impl Handler<$crate::kinds::ticket_tracker::GetComment> for $ty {
            type Result = Result<Value>;
            fn handle(&mut self, msg: GetComment, _: &mut Self::Context) -> Self::Result {
                $crate::kinds::ticket_tracker::get_comment(&self.core, msg)
            }
        }
    };
}
pub(crate) use ticket_reads;

/// A tracker's `handle_activity`: the kind's own arms (`$arm`, tried first), then what both
/// kinds of tracker do alike with the variants their accepted enums (`$kind`) share.
macro_rules! tracker_activity {
    ($kind:ident, $core:ident, $activity:expr, $raw:ident, { $($arm:tt)* }) => {{
        use $crate::activities::tickets::{comment, report, resolve};
        use $crate::activities::{follow, invite};
        use $crate::runtime::dispatch;
        match $activity {
            $($arm)*
            $kind::Follow(a) => follow::received($core, &a, $raw),
            $kind::Undo(a) => dispatch::undo($core, &a, $raw),
            $kind::Invite(a) => invite::received($core, &a, $raw),
            $kind::Accept(a) => dispatch::accept_by_resource($core, &a, $raw),
            $kind::Remove(a) => dispatch::remove_by_resource($core, &a, $raw),
            $kind::Create(a) => comment::received($core, &a, $raw),
            $kind::Resolve(a) => resolve::resolved($core, &a, $raw, true),
            $kind::Reopen(a) => resolve::resolved($core, &a, $raw, false),
            $kind::Edit(a) => report::edit_public($core, &a, $raw),
        }
    }};
}
pub(crate) use tracker_activity;

ticket_reads!(TicketTracker);

impl Actor for TicketTracker {
    type Context = Context<Self>;
}

impl Resource for TicketTracker {
    const KIND: ActorKind = ActorKind::TicketTracker;

    type Accepted = TicketTrackerActivity;

    core_accessors!();

    fn document(&self) -> schema::Actor {
        let mut doc = self.core.document();
        doc.extra
            .insert("public".into(), json!(tickets::is_public(&self.core)));
        doc.extra.insert(
            "tickets".into(),
            json!(self.core.env.urls.tickets(&self.core.r)),
        );
        doc
    }

    fn handle_activity(
        &mut self,
        activity: TicketTrackerActivity,
        raw: &Value,
        _ctx: &mut Context<Self>,
    ) -> Result<()> {
        use crate::activities::components::dispatch as components;
        use TicketTrackerActivity as T;
        let core = &mut self.core;
        tracker_activity!(T, core, activity, raw, {
            T::Add(a) => components::add(core, &a, raw),
            T::Offer(a) => offer::received(core, &a, raw),
        })
    }
}

common_handlers!(TicketTracker);

/// An OrderedCollection of `items` at `id`, or its page `page` (see `base::paging`).
fn collection(id: &Url, items: Vec<Value>, page: Option<u64>) -> Result<Value> {
    crate::base::paging::of_items(id, items, page)
}
