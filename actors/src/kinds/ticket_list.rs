//! What a tracker's web pages read from it in one message each: one page of its tickets, open
//! or resolved or both (`ListTickets`), and one ticket with its whole discussion
//! (`GetTicketThread`). The documents are the ones its JSON routes serve (`data::tickets`; a
//! PatchTracker's merge requests with their merge request fields, and its lists may show the
//! merged ones alone).

use crate::actor::state::ActorCore;
use crate::base::error::{ActorError, Result};
use crate::base::paging::PAGE_SIZE;
use crate::data::{merge_requests, tickets};
use crate::kinds::patch_tracker::PatchTracker;
use crate::kinds::ticket_tracker::TicketTracker;
use actix::prelude::*;
use serde_json::Value;

/// Which tickets a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketState {
    Open,
    /// Resolved and not merged.
    Resolved,
    /// Merge requests merged (a TicketTracker has none).
    Merged,
    All,
}

impl TicketState {
    /// `open`, `closed` or `all` (anything else: open).
    pub fn parse(text: Option<&str>) -> TicketState {
        match text {
            Some("closed") => TicketState::Resolved,
            Some("merged") => TicketState::Merged,
            Some("all") => TicketState::All,
            _ => TicketState::Open,
        }
    }

    /// The query value of this state.
    pub fn as_str(self) -> &'static str {
        match self {
            TicketState::Open => "open",
            TicketState::Resolved => "closed",
            TicketState::Merged => "merged",
            TicketState::All => "all",
        }
    }

    fn shows(self, core: &ActorCore, t: &tickets::TicketRecord) -> Result<bool> {
        Ok(match self {
            TicketState::Open => t.resolution.is_none(),
            TicketState::Resolved => {
                t.resolution.is_some() && !merge_requests::is_merged(core, t.number)?
            }
            TicketState::Merged => merge_requests::is_merged(core, t.number)?,
            TicketState::All => true,
        })
    }
}

/// Page `page` (from 1) of the tickets in `state`, newest first.
#[derive(Message)]
#[rtype(result = "Result<TicketList>")]
pub struct ListTickets {
    pub state: TicketState,
    pub page: u64,
}

/// One page of tickets: their documents, how many are in the state, open, resolved (merged
/// ones included) and merged.
#[derive(Debug, Clone)]
pub struct TicketList {
    pub items: Vec<Value>,
    pub matching: u64,
    pub open: u64,
    pub resolved: u64,
    pub merged: u64,
    pub pages: u64,
}

/// Ticket `number` and every Note of its discussion, oldest first.
#[derive(Message)]
#[rtype(result = "Result<(Value, Vec<Value>)>")]
pub struct GetTicketThread {
    pub number: u64,
}

/// The two page reads of a tracker type (both kinds of tracker answer them the same way).
macro_rules! page_reads {
    ($ty:ty) => {
        impl Handler<ListTickets> for $ty {
            type Result = Result<TicketList>;
            fn handle(&mut self, msg: ListTickets, _: &mut Self::Context) -> Self::Result {
                list(&self.core, msg.state, msg.page)
            }
        }

        impl Handler<GetTicketThread> for $ty {
            type Result = Result<(Value, Vec<Value>)>;
            fn handle(&mut self, msg: GetTicketThread, _: &mut Self::Context) -> Self::Result {
                thread(&self.core, msg.number)
            }
        }
    };
}

page_reads!(TicketTracker);
page_reads!(PatchTracker);

/// Page `page` of the tickets of the tracker `core` in `state` (a page past the last is the
/// last).
pub fn list(core: &ActorCore, state: TicketState, page: u64) -> Result<TicketList> {
    let all = tickets::all(core)?;
    let resolved = all.iter().filter(|t| t.resolution.is_some()).count() as u64;
    let mut shown: Vec<&tickets::TicketRecord> = Vec::new();
    let mut merged = 0;
    for t in &all {
        merged += u64::from(merge_requests::is_merged(core, t.number)?);
        if state.shows(core, t)? {
            shown.push(t);
        }
    }
    let matching = shown.len() as u64;
    let pages = matching.div_ceil(PAGE_SIZE as u64).max(1);
    let skip = (page.clamp(1, pages) - 1) as usize * PAGE_SIZE;
    let items = (shown.into_iter().skip(skip).take(PAGE_SIZE))
        .map(|t| merge_requests::ticket_document(core, t))
        .collect::<Result<Vec<Value>>>()?;
    Ok(TicketList {
        items,
        matching,
        open: all.len() as u64 - resolved,
        resolved,
        merged,
        pages,
    })
}

/// Ticket `n` of the tracker `core` (a merge request's document when it is one) and its
/// discussion, oldest first.
pub fn thread(core: &ActorCore, n: u64) -> Result<(Value, Vec<Value>)> {
    let ticket =
        tickets::load(core, n)?.ok_or_else(|| ActorError::NotFound(format!("ticket {n}")))?;
    let notes = tickets::discussion(core, n)?
        .into_iter()
        .map(|(_, c)| c.note)
        .collect();
    Ok((merge_requests::ticket_document(core, &ticket)?, notes))
}
