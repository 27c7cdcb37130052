//! [`Bounded`], the server's one kind of in-memory cache: a map of at most so many entries that, when
//! full, drops the least recently used half. Every cache the server keeps (tokens, key holders, parsed
//! keys, parsed scenarios) is one, so none can grow without bound, whatever callers send.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

/// A map of at most `capacity` entries, least recently used dropped first.
pub(crate) struct Bounded<K, V> {
    capacity: usize,
    inner: Mutex<Inner<K, V>>,
}

struct Inner<K, V> {
    map: HashMap<K, (V, u64)>,
    tick: u64,
}

impl<K: Hash + Eq + Clone, V: Clone> Bounded<K, V> {
    /// An empty cache of at most `capacity` entries (at least 1).
    pub(crate) fn new(capacity: usize) -> Bounded<K, V> {
        Bounded {
            capacity: capacity.max(1),
            inner: Mutex::new(Inner { map: HashMap::new(), tick: 0 }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<K, V>> {
        // A panic while holding the lock leaves a map that is still a valid cache.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The value kept for `key`, marked as used.
    pub(crate) fn get(&self, key: &K) -> Option<V> {
        let mut inner = self.lock();
        inner.tick += 1;
        let tick = inner.tick;
        inner.map.get_mut(key).map(|(v, used)| {
            *used = tick;
            v.clone()
        })
    }

    /// Keeps `value` for `key`; when full, first drops the least recently used half.
    pub(crate) fn insert(&self, key: K, value: V) {
        let mut inner = self.lock();
        inner.tick += 1;
        let tick = inner.tick;
        if inner.map.len() >= self.capacity && !inner.map.contains_key(&key) {
            let mut ticks: Vec<u64> = inner.map.values().map(|(_, t)| *t).collect();
            let middle = ticks.len() / 2;
            let (_, cut, _) = ticks.select_nth_unstable(middle);
            let cut = *cut;
            inner.map.retain(|_, (_, t)| *t > cut);
        }
        inner.map.insert(key, (value, tick));
    }

    /// Drops the entries `keep` refuses.
    pub(crate) fn retain(&self, mut keep: impl FnMut(&K, &V) -> bool) {
        self.lock().map.retain(|k, (v, _)| keep(k, v));
    }

    /// How many entries it holds.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().map.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_never_holds_more_than_its_capacity_and_keeps_what_is_used() {
        let c: Bounded<u32, u32> = Bounded::new(100);
        c.insert(0, 0);
        for k in 1..10_000 {
            c.insert(k, k);
            assert!(c.len() <= 100, "{} entries after {k}", c.len());
            // The first entry is used all the time: it is never the least recently used.
            assert_eq!(c.get(&0), Some(0), "after {k}");
        }
        assert_eq!(c.get(&9_999), Some(9_999));
        assert_eq!(c.get(&5), None);
        c.retain(|k, _| *k != 0);
        assert_eq!(c.get(&0), None);
    }
}
