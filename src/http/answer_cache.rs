//! Answers of the expensive reads of code (a path-filtered log page, a comparison), kept by what
//! determines them: the repository's directory and the commit ids the read resolved to (never a
//! branch name, which moves). Commits are immutable, so a kept answer is always right; the cache
//! only saves the work of walking history or diffing trees again. Bounded in entries; each
//! answer is itself bounded (a log page by its limit, a diff by `DiffLimits`).

use lru::LruCache;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// A bounded, least-recently-used map from a read's key to its answer.
pub struct AnswerCache<V> {
    entries: Mutex<LruCache<String, Arc<V>>>,
}

impl<V> AnswerCache<V> {
    /// A cache of at most `capacity` answers (at least one).
    pub fn new(capacity: usize) -> AnswerCache<V> {
        let capacity = NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN);
        AnswerCache {
            entries: Mutex::new(LruCache::new(capacity)),
        }
    }

    /// The answer kept under `key`, if any.
    pub fn get(&self, key: &str) -> Option<Arc<V>> {
        self.entries.lock().ok()?.get(key).cloned()
    }

    /// Keeps `answer` under `key` (the least recently used answer goes when full).
    pub fn put(&self, key: String, answer: Arc<V>) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.put(key, answer);
        }
    }
}

/// The key of a read: its kind and the values that determine its answer, joined unambiguously.
pub fn key(kind: &str, parts: &[&str]) -> String {
    let mut out = String::from(kind);
    for p in parts {
        out.push('\0');
        out.push_str(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_most_recent_answers() {
        let cache = AnswerCache::new(2);
        cache.put(key("log", &["a"]), Arc::new(1));
        cache.put(key("log", &["b"]), Arc::new(2));
        assert_eq!(cache.get(&key("log", &["a"])).as_deref(), Some(&1));
        cache.put(key("log", &["c"]), Arc::new(3));
        assert_eq!(
            cache.get(&key("log", &["b"])),
            None,
            "b was the least recent"
        );
        assert_eq!(cache.get(&key("log", &["c"])).as_deref(), Some(&3));
    }

    #[test]
    fn keys_do_not_collide_across_parts() {
        assert_ne!(key("log", &["a", "bc"]), key("log", &["ab", "c"]));
        assert_ne!(key("log", &["a"]), key("compare", &["a"]));
    }
}
