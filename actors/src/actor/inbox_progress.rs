//! The queue of stored-but-unprocessed inbox items of an actor, which survives restarts: reading
//! items back, processing them in order (begin, end, hold an item whose processing goes on
//! asynchronously), marking them processed, and finding the actors with pending items at start.

use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::base::kind::{ActorKind, ActorRef};
use crate::storage::bodies::decode_item;
use crate::storage::codec;
use crate::storage::layout::{self, INBOX, INBOX_PROCESSED, PENDING, SEEN};
use serde_json::Value;

impl ActorCore {
    /// Starts processing item `seq`: what it emits gets ids derived from it, so a re-run after
    /// a crash publishes nothing twice (see publish::outbox).
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
            self.env
                .store
                .kind_index(self.r.kind)?
                .remove(layout::key(PENDING, self.r.id.as_bytes()))?;
        }
        Ok(())
    }

    /// Removes the actor from its kind's pending index if nothing is unprocessed, staged or
    /// held (e.g. an entry left by a crash between the counter and the index writes).
    pub fn clear_pending_entry_if_idle(&self) -> Result<()> {
        let state = self.inbox_state()?;
        if state.processed >= state.next_seq && state.held.is_none() && !state.failed {
            self.env
                .store
                .kind_index(self.r.kind)?
                .remove(layout::key(PENDING, self.r.id.as_bytes()))?;
        }
        Ok(())
    }

    /// Inbox item `seq`, whatever its layout; None if it (or its body) is missing.
    pub fn inbox_item(&self, seq: u64) -> Result<Option<Value>> {
        match self.tree.get(layout::seq_key(INBOX, seq))? {
            Some(bytes) => decode_item(&self.env.store.kind_index(self.r.kind)?, &bytes),
            None => Ok(None),
        }
    }

    /// Every inbox item, newest first (items whose body is missing are left out).
    pub fn inbox_items(&self) -> Result<Vec<Value>> {
        let index = self.env.store.kind_index(self.r.kind)?;
        let mut out = Vec::new();
        for entry in self.tree.scan_prefix(layout::prefix(INBOX)).rev() {
            match decode_item(&index, &entry?.1)? {
                Some(item) => out.push(item),
                None => tracing::warn!(actor = %self.r, "inbox item's body missing; left out"),
            }
        }
        Ok(out)
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
