//! One transition of a session: under its lock, apply the event to the
//! state, store it, re-arm its deadline.
//!
//! The lock also keeps the state this process last stored or read for the
//! session, so a press does not read it back from the database (a read and
//! a JSON parse on every press, the hot path of a busy server). The copy
//! may be stale when another process (another shard, handling a press of a
//! session it does not own) stored a newer version: the store's update is
//! conditional on the version, so a stale copy fails with a conflict, and
//! the transition is redone once on the stored state. A timer's firing
//! always reads the stored state: a deadline taken from an old copy could
//! be missed.

use super::{Delivery, Inner, RuntimeError, Step};
use crate::store::{SessionId, StoreError, StoredSession};
use crate::time::Timestamp;
use std::sync::Arc;

/// A session's lock and its last known state (None: read it first).
pub(super) type SessionSlot = Arc<tokio::sync::Mutex<Option<StoredSession>>>;

impl Inner {
    pub(super) fn lock_for(&self, id: SessionId) -> SessionSlot {
        let mut locks = self.locks.lock().unwrap_or_else(|p| p.into_inner());
        Arc::clone(locks.entry(id).or_default())
    }

    /// Forgets a session's lock once it has ended: nothing waits on it.
    pub(super) fn drop_lock(&self, id: SessionId) {
        self.locks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&id);
    }

    /// Keeps a session that has just started, so its first press need not
    /// read it back.
    pub(super) fn remember(&self, session: &StoredSession) {
        let slot = self.lock_for(session.id);
        let free = slot.try_lock();
        if let Ok(mut known) = free {
            *known = Some(session.clone());
        }
    }

    async fn load(&self, id: SessionId) -> Result<StoredSession, RuntimeError> {
        self.store
            .load_session(id)
            .await?
            .ok_or(RuntimeError::NoSuchSession(id))
    }

    #[tracing::instrument(skip(self, step), fields(session_id = id))]
    pub(super) async fn transition(
        &self,
        id: SessionId,
        step: Step,
        fired_at: Option<Timestamp>,
    ) -> Result<Delivery, RuntimeError> {
        // One event at a time per session: two quick presses of one button
        // are handled in turn, and the second sees the first's result.
        let lock = self.lock_for(id);
        let mut known = lock.lock().await;
        let cached = known.take().filter(|_| fired_at.is_none());
        let from_cache = cached.is_some();
        let stored = match cached {
            Some(s) => s,
            None => self.load(id).await?,
        };
        let retry = from_cache.then(|| step.clone());
        let delivery = match (self.apply(stored, step, fired_at).await, retry) {
            (Err(RuntimeError::Store(StoreError::Conflict)), Some(step)) => {
                self.apply(self.load(id).await?, step, fired_at).await?
            }
            (other, _) => other?,
        };
        if delivery.session.state.is_running() {
            *known = Some(delivery.session.clone());
        } else {
            drop(known);
            self.drop_lock(id);
        }
        self.spawn_reviews(&delivery);
        Ok(delivery)
    }

    /// Applies `step` to `stored` and stores the result (nothing when it
    /// changed nothing).
    async fn apply(
        &self,
        stored: StoredSession,
        step: Step,
        fired_at: Option<Timestamp>,
    ) -> Result<Delivery, RuntimeError> {
        let unchanged = |session| Delivery {
            session,
            effects: Vec::new(),
            fired_at,
            resolved_notes: Vec::new(),
        };
        let event = match step {
            Step::Event(e) => e,
            Step::Press(actor, press) => {
                stored.state.check(actor, &press)?;
                match stored.state.event_for(actor, press.control) {
                    Some(e) => e,
                    None => return Ok(unchanged(stored)),
                }
            }
        };
        let bank = self.bank_for_session(stored.guild_id, &stored.state);
        let now = self.clock.now();
        let mut state = stored.state.clone();
        let effects = state.apply(&bank, event, now)?;
        if state == stored.state && effects.is_empty() {
            // A stale timer: nothing changed, nothing to store; keep it armed.
            self.arm(stored.id, stored.guild_id, state.next_wakeup());
            return Ok(unchanged(stored));
        }
        let (version, resolved_notes) = self
            .store
            .save_transition_resolving(&stored, &state, &effects, now)
            .await?;
        self.arm(stored.id, stored.guild_id, state.next_wakeup());
        Ok(Delivery {
            session: StoredSession {
                version,
                state,
                ..stored
            },
            effects,
            fired_at,
            resolved_notes,
        })
    }
}
