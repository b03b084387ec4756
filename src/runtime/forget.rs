//! Forgetting a person (`/privacy delete`). They first leave every running
//! session they are in, then every stored state that mentions them is
//! scrubbed, and only then is their user row deleted. Done the other way
//! round, the next transition of a panel they were in would write rows that
//! reference the deleted user, the foreign keys would refuse it, and the
//! panel could never finish.

use super::{Delivery, Runtime, RuntimeError};
use crate::interview::{Event, SessionKind, UserId};
use crate::store::{SessionId, StoreError, StoredSession};

/// Rounds of "scrub the sessions found, then delete". Another round is
/// needed only when a session with them starts meanwhile; more than a few
/// in a row means something keeps adding them, so give up and say so.
const MAX_ROUNDS: usize = 3;

/// What forgetting someone did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Forgotten {
    /// Running sessions they left (a solo interview of theirs ended).
    pub left: usize,
    /// Sessions whose stored state changed.
    pub changed: usize,
}

impl Runtime {
    /// Makes `user` leave every running session, scrubs them from every
    /// stored session state and deletes them with all their data. What a
    /// leave changed goes out as a delivery (like a timer's), so the front
    /// end tells each thread.
    #[tracing::instrument(skip_all, fields(user = user.0))]
    pub async fn forget_person(&self, user: UserId) -> Result<Forgotten, RuntimeError> {
        let mut report = Forgotten::default();
        let mut scrubbed: Vec<SessionId> = Vec::new();
        let mut pending = self.store().sessions_mentioning(user).await?;
        for _ in 0..MAX_ROUNDS {
            for id in pending {
                if let Some(d) = self.forget_in(id, user).await? {
                    report.changed += 1;
                    if !d.effects.is_empty() {
                        report.left += 1;
                        let _ = self.inner.deliveries.send(d);
                    }
                }
                scrubbed.push(id);
            }
            pending = self.store().forget_user(user, &scrubbed).await?;
            if pending.is_empty() {
                tracing::info!(
                    left = report.left,
                    changed = report.changed,
                    "a person's data was deleted"
                );
                return Ok(report);
            }
        }
        Err(StoreError::Conflict.into())
    }

    /// One session, under the lock its timers take, stored in one
    /// transaction. None when it had nothing of them.
    async fn forget_in(
        &self,
        id: SessionId,
        user: UserId,
    ) -> Result<Option<Delivery>, RuntimeError> {
        let inner = &self.inner;
        let lock = inner.lock_for(id);
        let mut known = lock.lock().await;
        // Read afresh, and read again by the next press: this changes the
        // session outside `transition`.
        *known = None;
        let Some(stored) = inner.store.load_session(id).await? else {
            return Ok(None);
        };
        let bank = inner.bank_for_session(stored.guild_id, &stored.state);
        let now = self.now();
        let mut state = stored.state.clone();
        let effects = match state.kind {
            // Deleted whole with its owner, so there is nothing to scrub:
            // it only ends, and its thread gets the summary.
            SessionKind::Solo if state.is_running() => {
                state.apply(&bank, Event::Leave { user }, now)?
            }
            SessionKind::Solo => Vec::new(),
            SessionKind::Panel => state.leave_and_forget(&bank, user, now)?,
        };
        if state == stored.state && effects.is_empty() {
            return Ok(None);
        }
        let version = inner
            .store
            .save_transition(&stored, &state, &effects, now)
            .await?;
        inner.arm(id, stored.guild_id, state.next_wakeup());
        if !state.is_running() {
            drop(known);
            inner.drop_lock(id);
        }
        tracing::info!(
            session_id = id,
            "a person who deleted their data was forgotten here"
        );
        Ok(Some(Delivery {
            session: StoredSession {
                version,
                state,
                ..stored
            },
            effects,
            fired_at: None,
            resolved_notes: Vec::new(),
        }))
    }
}
