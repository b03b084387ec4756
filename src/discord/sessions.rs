//! Per-session bookkeeping of the Discord layer.

use crate::store::SessionId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// One lock per session around "check the pressed button still applies,
/// then act", so two quick presses of one button act once: the second sees
/// the first's result and is answered "already done".
#[derive(Default)]
pub struct SessionLocks {
    map: Mutex<HashMap<SessionId, Arc<tokio::sync::Mutex<()>>>>,
}

impl SessionLocks {
    pub fn get(&self, id: SessionId) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        Arc::clone(map.entry(id).or_default())
    }

    pub fn forget(&self, id: SessionId) {
        self.map
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&id);
    }
}

/// Thread id to the session running in it, for typed answers
/// (message-content intent) without a query per message.
#[derive(Default)]
pub struct ThreadIndex {
    map: Mutex<HashMap<u64, SessionId>>,
}

impl ThreadIndex {
    pub fn insert(&self, thread: u64, session: SessionId) {
        self.map
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(thread, session);
    }

    pub fn get(&self, thread: u64) -> Option<SessionId> {
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
