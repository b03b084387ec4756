//! Waking only the waiters whose thing changed. A test (or a benchmark) waiting for an
//! interaction's answer, or for a message in one channel, listens on that key; changes to a
//! message or an interaction mark its keys (see `index.rs`), and `Shared::changed` wakes just
//! those listeners. Waiters with an arbitrary predicate (`wait_until`) still wake on every
//! change. Before this, every change woke every waiter, and each rescanned the whole state under
//! the lock: with a thousand interactions in flight that was most of the stand-in's work.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use tokio::sync::Notify;

/// What a keyed waiter watches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    /// Any message of the channel (created, edited, deleted).
    Channel(u64),
    /// The interaction's record (its callback, follow-ups) or a message it produced.
    Interaction(u64),
}

#[derive(Default)]
pub(crate) struct Watch {
    listeners: HashMap<Key, Arc<Notify>>,
    /// Keys changed since the last wake-up that someone listens on.
    dirty: HashSet<Key>,
}

impl Watch {
    /// Registers interest in `key` (under the state lock, before the waiter checks the state,
    /// so no change between its check and its sleep is missed).
    pub fn listen(&mut self, key: Key) -> Arc<Notify> {
        Arc::clone(self.listeners.entry(key).or_default())
    }

    /// Drops `key` once its last waiter is gone (call after dropping the waiter's `Arc`).
    pub fn forget(&mut self, key: Key) {
        if self
            .listeners
            .get(&key)
            .is_some_and(|n| Arc::strong_count(n) == 1)
        {
            self.listeners.remove(&key);
        }
    }

    /// `key` changed: remembered only if someone listens, so unwatched changes cost nothing.
    pub fn touch(&mut self, key: Key) {
        if self.listeners.contains_key(&key) {
            self.dirty.insert(key);
        }
    }

    /// The listeners to wake for the changes since the last call.
    pub fn take_dirty(&mut self) -> Vec<Arc<Notify>> {
        let listeners = &self.listeners;
        self.dirty
            .drain()
            .filter_map(|k| listeners.get(&k).cloned())
            .collect()
    }
}
