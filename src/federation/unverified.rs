//! The `unverified` part of the error box (see `actors::data::error_box`): inbox POSTs whose
//! signature did not verify, kept only in memory (unsigned input must not be able to write to
//! disk) and bounded: `PER_ACTOR` entries for each of at most `MAX_ACTORS` recipients, the
//! recipient written to least recently evicted first, each text clipped to `MAX_TEXT`
//! characters. Lost at restart.

use actors::data::error_box::{self, Entry};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

/// Entries kept per recipient.
pub const PER_ACTOR: usize = 20;
/// Recipients kept.
pub const MAX_ACTORS: usize = 1024;
/// Characters kept of each text of an entry (unsigned input: every byte here is memory an
/// anonymous sender fills, so at most about 1024 x 20 x 6 x 200 characters in all).
pub const MAX_TEXT: usize = 200;

/// `entry` with each of its texts clipped to `MAX_TEXT` characters.
fn clipped(mut entry: Entry) -> Entry {
    let clip = |t: &mut Option<String>| {
        if let Some(text) = t {
            *text = error_box::clip(text, MAX_TEXT);
        }
    };
    clip(&mut entry.activity);
    clip(&mut entry.activity_type);
    clip(&mut entry.actor);
    clip(&mut entry.recipient);
    clip(&mut entry.host);
    entry.reason = error_box::clip(&entry.reason, MAX_TEXT);
    entry
}

#[derive(Default)]
struct Inner {
    /// Recipient IRI -> (tick of its last entry, its entries, newest first).
    boxes: HashMap<String, (u64, VecDeque<Entry>)>,
    tick: u64,
}

/// The in-memory boxes. Cheap to clone.
#[derive(Clone, Default)]
pub struct UnverifiedBox {
    inner: Arc<Mutex<Inner>>,
}

impl UnverifiedBox {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        match self.inner.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    /// Records `entry` for the recipient IRI `recipient`.
    pub fn record(&self, recipient: &str, entry: Entry) {
        let mut inner = self.lock();
        inner.tick += 1;
        let tick = inner.tick;
        if !inner.boxes.contains_key(recipient) && inner.boxes.len() >= MAX_ACTORS {
            let oldest = inner
                .boxes
                .iter()
                .min_by_key(|(_, (t, _))| *t)
                .map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                inner.boxes.remove(&k);
            }
        }
        let slot = inner.boxes.entry(recipient.to_string()).or_default();
        slot.0 = tick;
        slot.1.push_front(clipped(entry));
        slot.1.truncate(PER_ACTOR);
    }

    /// The entries of `recipient`, newest first.
    pub fn of(&self, recipient: &str) -> Vec<Entry> {
        let inner = self.lock();
        inner
            .boxes
            .get(recipient)
            .map(|(_, entries)| entries.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// The newest `limit` entries of every recipient, newest first.
    pub fn newest(&self, limit: usize) -> Vec<Entry> {
        let inner = self.lock();
        let mut all: Vec<Entry> = inner
            .boxes
            .values()
            .flat_map(|(_, e)| e.iter().cloned())
            .collect();
        all.sort_by(|a, b| b.time.cmp(&a.time));
        all.truncate(limit);
        all
    }

    /// How many recipients have entries.
    pub fn recipients(&self) -> usize {
        self.lock().boxes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actors::data::error_box::Stage;

    #[test]
    fn each_box_is_bounded_and_the_least_recent_recipient_is_evicted() {
        let b = UnverifiedBox::default();
        for i in 0..(PER_ACTOR + 5) {
            b.record("a", Entry::new(Stage::Unverified, i));
        }
        let a = b.of("a");
        assert_eq!(a.len(), PER_ACTOR);
        assert_eq!(a[0].reason, (PER_ACTOR + 4).to_string(), "newest first");
        for i in 0..MAX_ACTORS {
            b.record(&format!("r{i}"), Entry::new(Stage::Unverified, "x"));
        }
        assert_eq!(b.recipients(), MAX_ACTORS);
        assert!(
            b.of("a").is_empty(),
            "the least recent recipient went first"
        );
        b.record("r0", Entry::new(Stage::Unverified, "again"));
        b.record("new", Entry::new(Stage::Unverified, "y"));
        assert_eq!(b.of("r0").len(), 2, "written to lately: kept");
        assert!(b.of("r1").is_empty(), "r1 was the least recent");
        assert_eq!(b.recipients(), MAX_ACTORS);
        assert_eq!(b.newest(3).len(), 3);
    }

    #[test]
    fn every_text_of_an_entry_is_clipped() {
        let b = UnverifiedBox::default();
        let mut e = Entry::new(Stage::Unverified, "r".repeat(5000));
        e.actor = Some(format!("https://x.example/{}", "a".repeat(5000)));
        e.activity = Some("\u{1F600}".repeat(5000));
        b.record("a", e);
        let kept = &b.of("a")[0];
        assert_eq!(kept.reason.chars().count(), MAX_TEXT);
        assert_eq!(
            kept.actor.as_deref().map(|t| t.chars().count()),
            Some(MAX_TEXT)
        );
        assert_eq!(
            kept.activity.as_deref().map(|t| t.chars().count()),
            Some(MAX_TEXT)
        );
    }
}
