//! Which session a chat thread holds, kept by a front end with threads.

use std::collections::HashMap;
use std::sync::Mutex;

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
