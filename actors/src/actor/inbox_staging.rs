//! The inbox side of an actor's core: storing received activities idempotently through the
//! group commit (the order of processing them is `inbox_progress`).
//!
//! A received activity is staged, not written: its inbox item, its `seen` marker and its kind's
//! `pending` index entry go into the next group commit as one group (one atomic sled batch per
//! tree per commit, shared with every other activity received meanwhile). The actor keeps its
//! inbox counters in memory (`InboxState`): the next sequence number, how far items are durable
//! (`committed`) and how far they are processed (`processed`, also stored as `inbox-processed`).
//! Items are processed in order, only once durable, so nothing is acted on that a crash could
//! still take back.

use crate::actor::inbox_counters::{InboxState, Staged, KEPT_ITEMS};
use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::storage::codec;
use crate::storage::layout::{self, INBOX, INBOX_PROCESSED, PENDING, SEEN};
use serde_json::Value;

impl ActorCore {
    pub fn inbox_state(&self) -> Result<std::cell::RefMut<'_, InboxState>> {
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
            return Err(crate::base::error::ActorError::Task(format!(
                "{} is reloading after a failed commit; try again",
                self.r
            )));
        }
        let seen_key = layout::key(SEEN, id.as_bytes());
        if state.staging.contains_key(id) || self.tree.contains_key(&seen_key)? {
            tracing::debug!(actor = %self.r, activity = id, "duplicate activity ignored");
            state.in_flight += 1;
            return Ok(Staged::Duplicate {
                ticket: self.env.store.commit_ticket(),
            });
        }
        let seq = state.next_seq;
        // The hidden audience was for routing; no stored copy keeps it (see `publish::audience`).
        crate::base::addressing::strip_hidden(&mut activity);
        // The kind's index is in the same tree: one group, so one atomic batch.
        let index = self.env.store.kind_index(self.r.kind)?;
        let (item, body) = crate::storage::bodies::item_and_body(&index, &activity)?;
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
        let ticket = self.env.store.stage(self.tree.raw(), writes);
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
}
