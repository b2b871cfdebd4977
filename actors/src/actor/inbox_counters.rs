//! The in-memory inbox state of an active actor (`InboxState`: its counters, staged and kept
//! items, the held item), and what a staged receive is (`Staged`). The methods that use them are
//! `inbox_staging` (receiving) and `inbox_progress` (processing).

use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// Most received items kept in memory until processed (beyond, they are read back).
pub const KEPT_ITEMS: usize = 256;

/// The in-memory inbox state of an active actor; loaded from storage on first use.
#[derive(Default)]
pub struct InboxState {
    pub loaded: bool,
    /// The sequence number the next received item gets.
    pub next_seq: u64,
    /// Items below this sequence number are durable and may be processed.
    pub committed: u64,
    /// Items below this sequence number were processed.
    pub processed: u64,
    /// Ids of items staged but not yet committed, with their sequence numbers.
    pub staging: HashMap<String, u64>,
    /// Received items not yet processed, to spare reading them back.
    pub items: BTreeMap<u64, Value>,
    /// Receives waiting for their commit.
    pub in_flight: usize,
    /// A stop was asked for while receives were in flight: stop after the last one.
    pub stop_requested: bool,
    /// A commit of this actor's failed: its counters may be wrong, so it stores and processes
    /// nothing more and stops once nothing is in flight (the registry reloads it afresh).
    pub failed: bool,
    /// The item being processed (between `begin_item` and `end_item`).
    pub current: Option<u64>,
    /// The item whose processing goes on asynchronously (`hold_current`), with its emit seed:
    /// it is marked processed, and later items processed, only when it is done.
    pub held: Option<(u64, (String, u32))>,
}

/// A received activity, staged for the next group commit.
#[derive(Debug, Clone)]
pub enum Staged {
    /// Stored under this sequence number once `ticket` is committed.
    Stored { seq: u64, id: String, ticket: u64 },
    /// Seen before (stored or staged); durable once `ticket` is committed.
    Duplicate { ticket: u64 },
}

impl Staged {
    /// The group-commit ticket to wait for.
    pub fn ticket(&self) -> u64 {
        match self {
            Staged::Stored { ticket, .. } | Staged::Duplicate { ticket } => *ticket,
        }
    }
}

impl InboxState {
    pub fn may_stop(&self) -> bool {
        self.stop_requested && self.in_flight == 0 && self.held.is_none()
    }
}
