//! The inbox side of an actor's core: storing received activities idempotently through the
//! group commit, and the queue of stored-but-unprocessed items that survives restarts.
//!
//! A received activity is staged, not written: its inbox item, its `seen` marker and its kind's
//! `pending` index entry go into the next group commit as one group (one atomic sled batch per
//! tree per commit, shared with every other activity received meanwhile). The actor keeps its
//! inbox counters in memory (`InboxState`): the next sequence number, how far items are durable
//! (`committed`) and how far they are processed (`processed`, also stored as `inbox-processed`).
//! Items are processed in order, only once durable, so nothing is acted on that a crash could
//! still take back.

use crate::core::ActorCore;
use crate::error::Result;
use crate::kind::{ActorKind, ActorRef};
use crate::storage::codec;
use crate::storage::layout::{self, INBOX, INBOX_PROCESSED, PENDING, SEEN};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// Most received items kept in memory until processed (beyond, they are read back).
const KEPT_ITEMS: usize = 256;

/// The in-memory inbox state of an active actor; loaded from storage on first use.
#[derive(Default)]
pub struct InboxState {
    loaded: bool,
    /// The sequence number the next received item gets.
    next_seq: u64,
    /// Items below this sequence number are durable and may be processed.
    committed: u64,
    /// Items below this sequence number were processed.
    processed: u64,
    /// Ids of items staged but not yet committed, with their sequence numbers.
    staging: HashMap<String, u64>,
    /// Received items not yet processed, to spare reading them back.
    items: BTreeMap<u64, Value>,
    /// Receives waiting for their commit.
    in_flight: usize,
    /// A stop was asked for while receives were in flight: stop after the last one.
    stop_requested: bool,
    /// A commit of this actor's failed: its counters may be wrong, so it stores and processes
    /// nothing more and stops once nothing is in flight (the registry reloads it afresh).
    failed: bool,
    /// The item being processed (between `begin_item` and `end_item`).
    current: Option<u64>,
    /// The item whose processing goes on asynchronously (`hold_current`), with its emit seed:
    /// it is marked processed, and later items processed, only when it is done.
    held: Option<(u64, (String, u32))>,
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

impl ActorCore {
    fn inbox_state(&self) -> Result<std::cell::RefMut<'_, InboxState>> {
        let mut state = self.inbox.borrow_mut();
        if !state.loaded {
            let pre = layout::prefix(INBOX);
            let next_seq = match self.tree.scan_prefix(&pre).next_back() {
                Some(entry) => codec::decode_u64(&entry?.0[pre.len()..]) + 1,
                None => 0,
            };
            let processed = match self.tree.get(INBOX_PROCESSED)? {
                Some(v) => codec::decode_u64(&v),
                None => self.migrate_pending_markers(next_seq)?,
            };
            // Only the counters: a stop may have been asked for before the first load.
            state.loaded = true;
            state.next_seq = next_seq;
            state.committed = next_seq;
            state.processed = processed.min(next_seq);
        }
        Ok(state)
    }

    /// Data written before the `inbox-processed` counter (an inbox with items but no counter)
    /// kept one `pending 0xFF <seq>` marker per unprocessed item: the first marker is where
    /// processing resumes (none: all done).
    fn migrate_pending_markers(&self, next_seq: u64) -> Result<u64> {
        if next_seq == 0 {
            return Ok(0);
        }
        let pre = layout::prefix(PENDING);
        let mut markers = Vec::new();
        for entry in self.tree.scan_prefix(&pre) {
            markers.push(entry?.0);
        }
        let processed = markers
            .first()
            .map_or(next_seq, |k| codec::decode_u64(&k[pre.len()..]));
        // The counter first: a crash between the two leaves markers that are then ignored.
        self.tree
            .insert(INBOX_PROCESSED, &processed.to_be_bytes()[..])?;
        for k in markers {
            self.tree.remove(k)?;
        }
        Ok(processed)
    }

    /// Stages a received activity for the next group commit unless its id was seen (stored or
    /// staged): its inbox item, `seen` marker and the kind's pending-index entry, as one group.
    /// Nothing is visible until the commit; call `receive_committed` when it is.
    pub fn stage_received(&self, mut activity: Value, id: &str) -> Result<Staged> {
        let mut state = self.inbox_state()?;
        if state.failed {
            return Err(crate::error::ActorError::Task(format!(
                "{} is reloading after a failed commit; try again",
                self.r
            )));
        }
        let seen_key = layout::key(SEEN, id.as_bytes());
        if state.staging.contains_key(id) || self.tree.contains_key(&seen_key)? {
            tracing::debug!(actor = %self.r, activity = id, "duplicate activity ignored");
            state.in_flight += 1;
            return Ok(Staged::Duplicate {
                ticket: self.store.commit_ticket(),
            });
        }
        let seq = state.next_seq;
        // The hidden audience was for routing; no stored copy keeps it (see audience.rs).
        crate::audience::strip_hidden(&mut activity);
        // The kind's index is in the same tree: one group, so one atomic batch.
        let index = self.store.kind_index(self.r.kind)?;
        let (item, body) = crate::bodies::item_and_body(&index, &activity)?;
        let mut writes = vec![(self.tree.full_key(&layout::seq_key(INBOX, seq)), Some(item))];
        writes.extend(body);
        writes.extend([
            (
                self.tree.full_key(&seen_key),
                Some(seq.to_be_bytes().to_vec()),
            ),
            (
                index.full_key(&layout::key(PENDING, self.r.id.as_bytes())),
                Some(Vec::new()),
            ),
        ]);
        if seq == 0 {
            // An inbox with items always has its counter (one without is older data).
            writes.push((
                self.tree.full_key(INBOX_PROCESSED),
                Some(0u64.to_be_bytes().to_vec()),
            ));
        }
        let ticket = self.store.stage(self.tree.raw(), writes);
        state.next_seq += 1;
        state.in_flight += 1;
        state.staging.insert(id.to_string(), seq);
        if state.items.len() < KEPT_ITEMS {
            state.items.insert(seq, activity);
        }
        tracing::debug!(actor = %self.r, activity = id, seq, "activity staged for the inbox");
        Ok(Staged::Stored {
            seq,
            id: id.to_string(),
            ticket,
        })
    }

    /// Records the outcome of a staged receive's commit. Answers whether the actor should stop
    /// now (a stop was asked for, or the commit failed, and nothing else is in flight): a failed
    /// commit leaves the in-memory counters unreliable, so the actor is reloaded afresh.
    pub fn receive_committed(&self, staged: &Staged, ok: bool) -> bool {
        let mut state = self.inbox.borrow_mut();
        state.in_flight = state.in_flight.saturating_sub(1);
        if let Staged::Stored { seq, id, .. } = staged {
            state.staging.remove(id);
            if ok && !state.failed {
                // Rounds complete in ticket order, so every smaller sequence number is durable.
                state.committed = state.committed.max(seq + 1);
            } else {
                state.items.remove(seq);
            }
        }
        if !ok && !state.failed {
            tracing::error!(actor = %self.r, "an inbox commit failed; the actor will be reloaded");
            state.failed = true;
            state.stop_requested = true;
        }
        state.may_stop()
    }

    /// Asks the actor to stop (see `stop_due`): at once if nothing is in flight or held, else
    /// once the last receive is committed (`receive_committed`) or the held item released.
    pub fn request_stop(&self) {
        self.inbox.borrow_mut().stop_requested = true;
    }

    /// Whether a stop was asked for and nothing is in flight or held any more.
    pub fn stop_due(&self) -> bool {
        self.inbox.borrow().may_stop()
    }

    /// Starts processing item `seq`: what it emits gets ids derived from it, so a re-run after
    /// a crash publishes nothing twice (see publish.rs).
    pub fn begin_item(&self, seq: u64) {
        *self.emit_seed.borrow_mut() = Some((format!("inbox {seq}"), 0));
        self.inbox.borrow_mut().current = Some(seq);
    }

    /// Ends processing item `seq` and marks it processed.
    pub fn end_item(&self, seq: u64) -> Result<()> {
        *self.emit_seed.borrow_mut() = None;
        self.inbox.borrow_mut().current = None;
        self.mark_processed(seq)
    }

    /// While an inbox item is processed: its processing goes on asynchronously (the actor holds
    /// its mailbox meanwhile, e.g. a Factory generating a key). The item stays unprocessed (so a
    /// crash re-runs it) until `release_held`. Answers the item's sequence number.
    pub fn hold_current(&self) -> Option<u64> {
        let seed = self.emit_seed.borrow().clone()?;
        let mut state = self.inbox.borrow_mut();
        let seq = state.current.take()?;
        state.held = Some((seq, seed));
        Some(seq)
    }

    /// Whether an item is held (then `process_pending` stops at it).
    pub fn is_held(&self) -> bool {
        self.inbox.borrow().held.is_some()
    }

    /// Resumes a held item: its emit seed is back in place, so what the rest of its
    /// processing emits gets the same ids on a re-run. Call `release_held` when done.
    pub fn resume_held(&self) {
        if let Some((_, seed)) = &self.inbox.borrow().held {
            *self.emit_seed.borrow_mut() = Some(seed.clone());
        }
    }

    /// Marks the held item processed (whatever the outcome of its processing). Then see
    /// `stop_due`.
    pub fn release_held(&self) -> Result<()> {
        *self.emit_seed.borrow_mut() = None;
        let held = self.inbox.borrow_mut().held.take();
        match held {
            Some((seq, _)) => self.mark_processed(seq),
            None => Ok(()),
        }
    }

    /// The activity this actor received under `id` (its inbox item), if any: what an Undo
    /// naming an activity by IRI undoes.
    pub fn received_activity(&self, id: &str) -> Result<Option<Value>> {
        let Some(seq) = self.tree.get(layout::key(SEEN, id.as_bytes()))? else {
            return Ok(None);
        };
        // Whatever the item's layout (inline, or a reference to a body stored once).
        self.inbox_item(codec::decode_u64(&seq))
    }

    /// The oldest durable, unprocessed inbox item, if any (none while one is held).
    pub fn next_pending(&self) -> Result<Option<(u64, Value)>> {
        let mut state = self.inbox_state()?;
        if state.held.is_some() || state.failed {
            return Ok(None);
        }
        while state.processed < state.committed {
            let seq = state.processed;
            if let Some(item) = state.items.remove(&seq) {
                return Ok(Some((seq, item)));
            }
            match self.inbox_item(seq)? {
                Some(item) => return Ok(Some((seq, item))),
                None => {
                    tracing::warn!(actor = %self.r, seq, "inbox item missing; skipped");
                    state.processed += 1;
                }
            }
        }
        Ok(None)
    }

    /// Marks the inbox items up to `seq` processed; clears the kind's pending-index entry when
    /// nothing else is received or staged.
    pub fn mark_processed(&self, seq: u64) -> Result<()> {
        let mut state = self.inbox_state()?;
        state.processed = state.processed.max(seq + 1);
        self.tree
            .insert(INBOX_PROCESSED, &state.processed.to_be_bytes()[..])?;
        if state.processed >= state.next_seq {
            // Nothing staged: a later receive stages the entry again after this removal.
            self.store
                .kind_index(self.r.kind)?
                .remove(layout::key(PENDING, self.r.id.as_bytes()))?;
        }
        Ok(())
    }
}

impl InboxState {
    fn may_stop(&self) -> bool {
        self.stop_requested && self.in_flight == 0 && self.held.is_none()
    }
}

impl ActorCore {
    /// Removes the actor from its kind's pending index if nothing is unprocessed, staged or
    /// held (e.g. an entry left by a crash between the counter and the index writes).
    pub fn clear_pending_entry_if_idle(&self) -> Result<()> {
        let state = self.inbox_state()?;
        if state.processed >= state.next_seq && state.held.is_none() && !state.failed {
            self.store
                .kind_index(self.r.kind)?
                .remove(layout::key(PENDING, self.r.id.as_bytes()))?;
        }
        Ok(())
    }
}

/// Every actor with unprocessed inbox items, from the kinds' pending indexes (for resuming at
/// start). Entries of the index older versions kept in the instance tree are moved over.
pub fn actors_with_pending(store: &crate::storage::store::Store) -> Result<Vec<ActorRef>> {
    let pre = layout::prefix(PENDING);
    for entry in store.instance().scan_prefix(&pre) {
        let (k, _) = entry?;
        let name = String::from_utf8_lossy(&k[pre.len()..]).to_string();
        if let Some(r) = ActorRef::from_tree_name(&name) {
            store
                .kind_index(r.kind)?
                .insert(layout::key(PENDING, r.id.as_bytes()), &[][..])?;
        }
        store.instance().remove(k)?;
    }
    let mut out = Vec::new();
    for kind in ActorKind::ALL {
        for entry in store.kind_index(kind)?.scan_prefix(&pre) {
            let (k, _) = entry?;
            let id = String::from_utf8_lossy(&k[pre.len()..]).to_string();
            out.push(ActorRef::new(kind, id));
        }
    }
    Ok(out)
}
