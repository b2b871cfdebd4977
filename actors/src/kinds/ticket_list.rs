//! What a tracker's web pages read from it in one message each: one page of its tickets, open
//! or resolved or both (`ListTickets`), and one ticket with its whole discussion
//! (`GetTicketThread`). The documents are the ones its JSON routes serve (`data::tickets`).

use crate::actor::state::ActorCore;
use crate::base::error::{ActorError, Result};
use crate::base::paging::PAGE_SIZE;
use crate::data::tickets;
use crate::kinds::ticket_tracker::TicketTracker;
use actix::prelude::*;
use serde_json::Value;

/// Which tickets a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketState {
    Open,
    Resolved,
    All,
}

impl TicketState {
    /// `open`, `closed` or `all` (anything else: open).
    pub fn parse(text: Option<&str>) -> TicketState {
        match text {
            Some("closed") => TicketState::Resolved,
            Some("all") => TicketState::All,
            _ => TicketState::Open,
        }
    }

    /// The query value of this state.
    pub fn as_str(self) -> &'static str {
        match self {
            TicketState::Open => "open",
            TicketState::Resolved => "closed",
            TicketState::All => "all",
        }
    }

    fn shows(self, t: &tickets::TicketRecord) -> bool {
        match self {
            TicketState::Open => t.resolution.is_none(),
            TicketState::Resolved => t.resolution.is_some(),
            TicketState::All => true,
        }
    }
}

/// Page `page` (from 1) of the tickets in `state`, newest first.
#[derive(Message)]
#[rtype(result = "Result<TicketList>")]
pub struct ListTickets {
    pub state: TicketState,
    pub page: u64,
}

/// One page of tickets: their documents, how many are in the state, open and resolved.
#[derive(Debug, Clone)]
pub struct TicketList {
    pub items: Vec<Value>,
    pub matching: u64,
    pub open: u64,
    pub resolved: u64,
    pub pages: u64,
}

/// Ticket `number` and every Note of its discussion, oldest first.
#[derive(Message)]
#[rtype(result = "Result<(Value, Vec<Value>)>")]
pub struct GetTicketThread {
    pub number: u64,
}

impl Handler<ListTickets> for TicketTracker {
    type Result = Result<TicketList>;
    fn handle(&mut self, msg: ListTickets, _: &mut Self::Context) -> Self::Result {
        list(&self.core, msg.state, msg.page)
    }
}

/// Page `page` of the tickets of the tracker `core` in `state` (a page past the last is the
/// last).
pub fn list(core: &ActorCore, state: TicketState, page: u64) -> Result<TicketList> {
    let all = tickets::all(core)?;
    let resolved = all.iter().filter(|t| t.resolution.is_some()).count() as u64;
    let shown: Vec<&tickets::TicketRecord> = all.iter().filter(|t| state.shows(t)).collect();
    let matching = shown.len() as u64;
    let pages = matching.div_ceil(PAGE_SIZE as u64).max(1);
    let skip = (page.clamp(1, pages) - 1) as usize * PAGE_SIZE;
    let items = (shown.into_iter().skip(skip).take(PAGE_SIZE))
        .map(|t| tickets::document(core, t))
        .collect();
    Ok(TicketList {
        items,
        matching,
        open: all.len() as u64 - resolved,
        resolved,
        pages,
    })
}

impl Handler<GetTicketThread> for TicketTracker {
    type Result = Result<(Value, Vec<Value>)>;
    fn handle(&mut self, msg: GetTicketThread, _: &mut Self::Context) -> Self::Result {
        let n = msg.number;
        let ticket = tickets::load(&self.core, n)?
            .ok_or_else(|| ActorError::NotFound(format!("ticket {n}")))?;
        let notes = tickets::discussion(&self.core, n)?
            .into_iter()
            .map(|(_, c)| c.note)
            .collect();
        Ok((tickets::document(&self.core, &ticket), notes))
    }
}
