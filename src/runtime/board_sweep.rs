//! Leaderboards' rolling windows (week, month) moved in the background, so
//! a read seldom finds rows that expired since the last sweep and has to
//! recompute them itself, a write behind the writer on the reader's time.

use super::{Inner, Runtime, RuntimeError};
use std::sync::Weak;
use std::time::Duration;
use tokio::task::JoinHandle;

/// How often (on the runtime's clock) the windows move. A minute leaves a
/// read at most a minute's expiry to deal with (about two answers a minute
/// on a server holding a million over a year), while a pass over servers
/// with nothing expired costs one index probe per server and period: with
/// 1,000 servers, a few milliseconds a minute on the read pool.
pub const BOARD_SWEEP_EVERY: Duration = Duration::from_secs(60);

impl Runtime {
    /// Moves the week and month windows of this process's servers to the
    /// clock's now, recomputing what expired; returns how many (person,
    /// question) keys that was.
    async fn sweep_boards(&self) -> Result<usize, RuntimeError> {
        let owned = self.ownership();
        let now = self.now();
        Ok(self
            .store()
            .sweep_expired_boards(now, move |g| owned.owns(Some(g)))
            .await?)
    }

    /// Sweeps now (what expired while no process ran goes first), then
    /// every `BOARD_SWEEP_EVERY`, until the runtime is dropped. A failed
    /// sweep is logged and tried again at the next: reads stay exact
    /// without it, they only sweep for themselves.
    pub fn spawn_board_sweep(&self) -> JoinHandle<()> {
        tokio::spawn(run(self.inner.this.clone()))
    }
}

async fn run(this: Weak<Inner>) {
    loop {
        // Only while sweeping: a task of its own must not keep the
        // runtime alive.
        let Some(inner) = this.upgrade() else {
            return;
        };
        let runtime = Runtime { inner };
        // From before the sweep: a clock that moves during it (a manual
        // one, or a sweep slower than the period) is caught up at once.
        let next = runtime.now().plus(BOARD_SWEEP_EVERY);
        match runtime.sweep_boards().await {
            Ok(n) if n > 0 => tracing::debug!(keys = n, "leaderboard windows moved"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not sweep the leaderboards' windows"),
        }
        let clock = runtime.clock().clone();
        drop(runtime);
        clock.sleep_until(next).await;
    }
}
