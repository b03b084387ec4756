//! Per-session bookkeeping of the Discord layer.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// One lock per lobby around "apply the press, redraw the message", so two
/// quick presses cannot leave the older list on the message. Entries nobody
/// holds are dropped as the map grows, so it stays as small as the number
/// of lobbies being pressed at once.
#[derive(Default)]
pub struct LobbyLocks {
    map: Mutex<HashMap<i64, Arc<tokio::sync::Mutex<()>>>>,
}

impl LobbyLocks {
    pub fn get(&self, id: i64) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= 64 && !map.contains_key(&id) {
            map.retain(|_, lock| Arc::strong_count(lock) > 1);
        }
        Arc::clone(map.entry(id).or_default())
    }

    pub fn len(&self) -> usize {
        self.map.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

/// Thread id to the session running in it, for typed answers and thread
/// membership events without a query per message. Entries go when their
/// session ends.
#[derive(Default)]
pub struct ThreadIndex {
    map: Mutex<HashMap<u64, i64>>,
}

impl ThreadIndex {
    pub fn insert(&self, thread: u64, session: i64) {
        self.map
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(thread, session);
    }

    pub fn get(&self, thread: u64) -> Option<i64> {
        self.map
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&thread)
            .copied()
    }

    pub fn remove(&self, thread: u64) {
        self.map
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&thread);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lobby_locks_nobody_holds_are_dropped_as_the_map_grows() {
        let locks = LobbyLocks::default();
        let held = locks.get(0);
        for id in 1..1000 {
            drop(locks.get(id));
        }
        assert!(locks.len() <= 65, "{} locks kept", locks.len());
        assert!(Arc::ptr_eq(&held, &locks.get(0)), "a held lock is kept");
    }
}
