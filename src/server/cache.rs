//! Answers kept by data version. Data changes only at import (and through the token-guarded
//! writes), so a complete response — SPARQL results, a view's page — is kept under its entity
//! tag, which already names the data version, the request and the negotiated form. A write
//! empties the cache; an entry of an older version could never be hit anyway. Only complete
//! responses up to [`MAX_ENTRY`] are kept (streamed ones are not), at most [`MAX_BYTES`] in all.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Bytes;

/// The largest response kept.
pub const MAX_ENTRY: usize = 1024 * 1024;
/// All responses kept together, at most; when full, the cache starts again empty.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

/// One kept response.
#[derive(Debug, Clone)]
pub struct Cached {
    /// Its content type.
    pub media_type: &'static str,
    /// Extra headers it had (row cap).
    pub headers: Vec<(&'static str, String)>,
    /// Its body.
    pub body: Bytes,
}

/// The cache (off: every lookup misses, nothing is kept).
#[derive(Debug, Default)]
pub struct ResponseCache {
    enabled: bool,
    entries: Mutex<(HashMap<String, Cached>, usize)>,
    /// Lookups answered from the cache.
    pub hits: AtomicU64,
    /// Lookups that were not.
    pub misses: AtomicU64,
}

impl ResponseCache {
    /// A cache that keeps responses when `enabled`.
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            ..Self::default()
        }
    }

    /// The response kept under `tag`.
    pub fn get(&self, tag: &str) -> Option<Cached> {
        if !self.enabled {
            return None;
        }
        let found = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .0
            .get(tag)
            .cloned();
        let counter = if found.is_some() { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Keeps `response` under `tag`, if it is small enough.
    pub fn put(&self, tag: &str, response: Cached) {
        if !self.enabled || response.body.len() > MAX_ENTRY {
            return;
        }
        let mut guard = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (entries, bytes) = &mut *guard;
        if *bytes + response.body.len() > MAX_BYTES {
            entries.clear();
            *bytes = 0;
        }
        *bytes += response.body.len();
        if let Some(old) = entries.insert(tag.to_string(), response) {
            *bytes -= old.body.len();
        }
    }

    /// How many responses are kept, and their bytes.
    pub fn size(&self) -> (usize, usize) {
        let guard = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        (guard.0.len(), guard.1)
    }

    /// Forgets everything (after a write).
    pub fn clear(&self) {
        let mut guard = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        guard.0.clear();
        guard.1 = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(size: usize) -> Cached {
        Cached {
            media_type: "application/sparql-results+json",
            headers: Vec::new(),
            body: Bytes::from(vec![b'x'; size]),
        }
    }

    #[test]
    fn keeps_small_complete_answers_until_cleared() {
        let cache = ResponseCache::new(true);
        assert!(cache.get("a").is_none());
        cache.put("a", response(10));
        cache.put("big", response(MAX_ENTRY + 1));
        assert_eq!(cache.get("a").map(|c| c.body.len()), Some(10));
        assert!(cache.get("big").is_none());
        assert_eq!(
            (cache.hits.load(Ordering::Relaxed), cache.misses.load(Ordering::Relaxed)),
            (1, 2)
        );
        assert_eq!(cache.size(), (1, 10));
        cache.clear();
        assert!(cache.get("a").is_none());
        assert_eq!(cache.size(), (0, 0));
        let off = ResponseCache::new(false);
        off.put("a", response(10));
        assert!(off.get("a").is_none());
    }
}
