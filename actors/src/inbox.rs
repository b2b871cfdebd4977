//! The inbox side of an actor's core: storing received activities idempotently, and the queue of
//! stored-but-unprocessed items that survives restarts.

use crate::core::ActorCore;
use crate::error::Result;
use crate::messages::Received;
use crate::store::{self, INBOX, PENDING, SEEN};
use serde_json::Value;

impl ActorCore {
    /// Stores a received activity unless its id was seen: inbox item, seen marker and pending
    /// marker in one batch, plus the instance's index of actors with pending work.
    pub fn store_received(&self, activity: &Value, id: &str) -> Result<Received> {
        let seen_key = store::key(SEEN, id.as_bytes());
        if self.tree.contains_key(&seen_key)? {
            tracing::debug!(actor = %self.r, activity = id, "duplicate activity ignored");
            return Ok(Received::Duplicate);
        }
        let pre = store::prefix(INBOX);
        let seq = match self.tree.scan_prefix(&pre).next_back() {
            Some(entry) => store::decode_u64(&entry?.0[pre.len()..]) + 1,
            None => 0,
        };
        self.store
            .instance()
            .insert(store::key(PENDING, self.r.tree_name().as_bytes()), &[][..])?;
        let mut batch = self.tree.batch();
        batch.insert(store::seq_key(INBOX, seq), store::encode(activity)?);
        batch.insert(seen_key, &seq.to_be_bytes()[..]);
        batch.insert(store::seq_key(PENDING, seq), &[][..]);
        self.tree.apply_batch(batch)?;
        tracing::debug!(actor = %self.r, activity = id, seq, "activity stored in inbox");
        Ok(Received::Stored(seq))
    }

    /// The sequence numbers of unprocessed inbox items, oldest first.
    pub fn pending(&self) -> Result<Vec<u64>> {
        let pre = store::prefix(PENDING);
        let mut out = Vec::new();
        for entry in self.tree.scan_prefix(&pre) {
            out.push(store::decode_u64(&entry?.0[pre.len()..]));
        }
        Ok(out)
    }

    /// One stored inbox item.
    pub fn inbox_item(&self, seq: u64) -> Result<Option<Value>> {
        match self.tree.get(store::seq_key(INBOX, seq))? {
            Some(bytes) => Ok(Some(store::decode(&bytes)?)),
            None => Ok(None),
        }
    }

    /// Marks an inbox item processed; clears the instance index when nothing is left.
    pub fn mark_processed(&self, seq: u64) -> Result<()> {
        self.tree.remove(store::seq_key(PENDING, seq))?;
        if self
            .tree
            .scan_prefix(store::prefix(PENDING))
            .next()
            .is_none()
        {
            self.store
                .instance()
                .remove(store::key(PENDING, self.r.tree_name().as_bytes()))?;
        }
        Ok(())
    }
}

/// Every actor with unprocessed inbox items, from the instance index (for resuming at start).
pub fn actors_with_pending(store: &store::Store) -> Result<Vec<crate::kind::ActorRef>> {
    let pre = store::prefix(PENDING);
    let mut out = Vec::new();
    for entry in store.instance().scan_prefix(&pre) {
        let (k, _) = entry?;
        let name = String::from_utf8_lossy(&k[pre.len()..]).to_string();
        if let Some(r) = crate::kind::ActorRef::from_tree_name(&name) {
            out.push(r);
        }
    }
    Ok(out)
}
