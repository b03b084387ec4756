//! Start-up: the running sessions this process owns are re-armed, and the
//! overdue ones advanced.

use super::{Event, Runtime, RuntimeError, Step};
use crate::store::{RunningSession, SessionId, StoredSession};
use futures::StreamExt;

/// Overdue sessions advanced at once during recovery: enough that the
/// group-commit writer stores them in batches of dozens (at 4, a batch held
/// 4 and 1,000 overdue took 250 commits), while the loads queue for the
/// read pool.
const RECOVERY_CONCURRENCY: usize = 32;

/// What start-up recovery did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recovery {
    pub advanced: usize,
    pub rearmed: usize,
    pub failed: usize,
    /// The sessions re-armed as they were (their step still open), which
    /// got no delivery: a front end may tell them it is back.
    pub resumed: Vec<RunningSession>,
}

impl Runtime {
    /// Loads the running sessions this process owns (see `shards`; another
    /// process recovers the rest): the pending ones are re-armed first (cheap),
    /// then the overdue ones are advanced, a few at a time, and their effects
    /// go out as timer deliveries so the front end can show what happened.
    /// One that fails on the database is retried like a failed firing,
    /// instead of staying frozen until the next restart.
    pub async fn recover(&self) -> Result<Recovery, RuntimeError> {
        let now = self.now();
        let mut report = Recovery::default();
        let mut overdue = Vec::new();
        let owned = self.inner.store.running_sessions().await?.into_iter();
        for running in owned.filter(|r| self.inner.ownership.owns(r.guild_id)) {
            match running.wake {
                Some(at) if at <= now => overdue.push(running.id),
                other => {
                    self.inner.arm(running.id, running.guild_id, other);
                    report.rearmed += 1;
                    report.resumed.push(running);
                }
            }
        }
        let results: Vec<_> = futures::stream::iter(overdue)
            .map(|id| async move {
                (
                    id,
                    self.inner
                        .transition(id, Step::Event(Event::Tick), Some(now))
                        .await,
                )
            })
            .buffer_unordered(RECOVERY_CONCURRENCY)
            .collect()
            .await;
        for (id, result) in results {
            match result {
                Ok(d) => {
                    report.advanced += 1;
                    let _ = self.inner.deliveries.send(d);
                }
                Err(e) => {
                    report.failed += 1;
                    // Like a failed firing: a database error is retried
                    // with backoff; anything else cannot get better.
                    if matches!(e, RuntimeError::Store(_)) {
                        self.inner.scheduler.retry(id, now);
                    }
                    tracing::error!(session_id = id, error = %e, "could not advance an overdue session");
                }
            }
        }
        Ok(report)
    }

    /// The session, if it is still running at `version`: nothing has
    /// happened to it since then (a front end's "still as we left it").
    pub async fn unchanged_since(
        &self,
        id: SessionId,
        version: i64,
    ) -> Result<Option<StoredSession>, RuntimeError> {
        let session = self.session(id).await?;
        Ok((session.version == version && session.state.is_running()).then_some(session))
    }
}
