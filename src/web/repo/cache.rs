//! What the repository pages keep once made: highlighted files and rendered READMEs, keyed by
//! what git names immutably (a blob id, a commit id), so a kept answer is never stale. Bounded
//! by the bytes it holds; the least recently used entries go first (`lru`).

use lru::LruCache;
use std::sync::{Arc, Mutex};

/// What an entry weighs, in bytes.
pub trait Weight {
    fn weight(&self) -> usize;
}

impl Weight for String {
    fn weight(&self) -> usize {
        self.len()
    }
}

struct Inner<V> {
    map: LruCache<String, Arc<V>>,
    bytes: usize,
}

/// A byte-bounded LRU cache shared by the workers.
pub struct Kept<V> {
    inner: Mutex<Inner<V>>,
    max_bytes: usize,
}

impl<V: Weight> Kept<V> {
    /// A cache of at most `max_bytes`.
    pub fn new(max_bytes: usize) -> Kept<V> {
        Kept {
            inner: Mutex::new(Inner {
                map: LruCache::unbounded(),
                bytes: 0,
            }),
            max_bytes,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<V>> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The entry kept under `key`, if any.
    pub fn get(&self, key: &str) -> Option<Arc<V>> {
        self.lock().map.get(key).cloned()
    }

    /// Keeps `value` under `key` (unless it alone is over the bound), evicting the least
    /// recently used entries past the bound; answers it.
    pub fn put(&self, key: String, value: V) -> Arc<V> {
        let value = Arc::new(value);
        let weight = value.weight() + key.len();
        if weight > self.max_bytes {
            return value;
        }
        let mut inner = self.lock();
        if let Some(old) = inner.map.put(key.clone(), value.clone()) {
            inner.bytes -= old.weight() + key.len();
        }
        inner.bytes += weight;
        while inner.bytes > self.max_bytes {
            let Some((k, v)) = inner.map.pop_lru() else {
                break;
            };
            inner.bytes -= v.weight() + k.len();
        }
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_kept_within_the_bound_least_recent_first_out() {
        let kept: Kept<String> = Kept::new(20);
        kept.put("a".into(), "12345678".into());
        kept.put("b".into(), "12345678".into());
        assert!(kept.get("a").is_some());
        kept.put("c".into(), "12345678".into());
        assert!(kept.get("b").is_none(), "b was the least recently used");
        assert_eq!(
            kept.get("a").as_deref().map(String::as_str),
            Some("12345678")
        );
        kept.put("big".into(), "x".repeat(100));
        assert!(kept.get("big").is_none(), "over the bound alone: not kept");
    }
}
