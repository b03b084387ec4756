//! Changes that reach every process: a process that reloads the bank or
//! changes a server's pack applies it here and announces it (`store::
//! changes`: PostgreSQL's LISTEN/NOTIFY); the others, following the
//! announcements, re-read their own bank folder (every process has the
//! same bank files) or rebuild that server's pack bank from the database.
//!
//! A listener that loses its connection may have missed notices, so once
//! it is back everything is re-read: the bank, then every pack.

use super::{Inner, Runtime, RuntimeError};
use crate::bank::{Bank, BankErrors};
use crate::store::{Change, ChangeListener, Heard};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Weak};
use std::time::Duration;
use tokio::task::JoinHandle;

/// The longest wait between attempts to reconnect the listener.
const MAX_RECONNECT_DELAY: Duration = Duration::from_secs(30);

impl Runtime {
    /// Re-reads the shipped bank from `dir`; with no problem it serves new
    /// sessions from now on, every server's pack is rebuilt on it, and the
    /// other processes are told to do the same. With problems nothing
    /// changes and they come back.
    pub async fn reload_bank(
        &self,
        dir: &Path,
    ) -> Result<Result<Arc<Bank>, BankErrors>, RuntimeError> {
        let bank = match self.reread_bank(dir).await? {
            Ok(bank) => bank,
            Err(problems) => return Ok(Err(problems)),
        };
        self.announce(Change::BankReloaded).await;
        Ok(Ok(bank))
    }

    /// Follows the other processes' changes, on PostgreSQL (None on
    /// SQLite: one bot process, nothing to follow). Listening starts before
    /// this returns, so a change made after it is never missed.
    pub async fn follow_changes(
        &self,
        bank_dir: PathBuf,
    ) -> Result<Option<JoinHandle<()>>, RuntimeError> {
        let Some(listener) = self.store().listen().await? else {
            return Ok(None);
        };
        let weak = Arc::downgrade(&self.inner);
        Ok(Some(tokio::spawn(follow(weak, listener, bank_dir))))
    }

    /// Tells the other processes; a failure is logged: the change is made
    /// here, and they catch up when their listener next reconnects.
    pub(super) async fn announce(&self, change: Change) {
        if let Err(e) = self.store().announce(change, self.inner.origin).await {
            self.metrics().error("announce");
            tracing::error!(error = %e, ?change, "could not tell the other processes of a change");
        }
    }

    /// Loads `dir` off the async workers and, if it is valid, swaps it in.
    async fn reread_bank(&self, dir: &Path) -> Result<Result<Arc<Bank>, BankErrors>, RuntimeError> {
        let from = dir.to_path_buf();
        let loaded = tokio::task::spawn_blocking(move || crate::bank::load(&from))
            .await
            .map_err(|e| RuntimeError::Refused(format!("the bank reload task failed: {e}")))?;
        let bank = match loaded {
            Ok(bank) => Arc::new(bank),
            Err(problems) => return Ok(Err(problems)),
        };
        // Servers' packs are rebuilt on the new bank: CPU work.
        let (runtime, swapped) = (self.clone(), Arc::clone(&bank));
        tokio::task::spawn_blocking(move || runtime.set_bank(swapped))
            .await
            .map_err(|e| RuntimeError::Refused(format!("the bank swap task failed: {e}")))?;
        tracing::info!(
            questions = bank.questions.len(),
            topics = bank.topics.len(),
            "question bank reloaded"
        );
        Ok(Ok(bank))
    }

    /// What another process changed, applied here.
    async fn apply(&self, change: Change, bank_dir: &Path) {
        match change {
            Change::BankReloaded => match self.reread_bank(bank_dir).await {
                Ok(Ok(_)) => {}
                Ok(Err(problems)) => tracing::error!(
                    problems = problems.0.len(),
                    first = %problems.0.first().map(ToString::to_string).unwrap_or_default(),
                    "another process reloaded the bank, but this process's bank folder has problems; the old bank stays (every process needs the same bank files)"
                ),
                Err(e) => {
                    tracing::error!(error = %e, "could not reload the bank as another process did")
                }
            },
            Change::PackChanged(guild) => {
                if let Err(e) = self.refresh_pack(guild).await {
                    tracing::error!(error = %e, guild, "could not rebuild a server's pack changed by another process");
                }
            }
        }
    }

    /// After a lost connection: whatever a missed notice said.
    async fn catch_up(&self, bank_dir: &Path) {
        self.apply(Change::BankReloaded, bank_dir).await;
        if let Err(e) = self.sync_packs().await {
            tracing::error!(error = %e, "could not re-read the servers' packs");
        }
    }
}

/// Until the runtime goes away: applies each notice from another process,
/// and catches up after every reconnection.
async fn follow(runtime: Weak<Inner>, mut listener: ChangeListener, bank_dir: PathBuf) {
    let alive = |w: &Weak<Inner>| w.upgrade().map(|inner| Runtime { inner });
    loop {
        let heard = listener.next().await;
        let Some(rt) = alive(&runtime) else { return };
        match heard {
            Ok(Heard::Change { origin, .. }) if origin == rt.inner.origin => {}
            Ok(Heard::Change { change, .. }) => rt.apply(change, &bank_dir).await,
            Ok(Heard::Reconnected) => {
                tracing::warn!("the change listener reconnected; re-reading the bank and packs");
                rt.catch_up(&bank_dir).await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "the change listener lost its connection");
                drop(rt);
                let Some(fresh) = reconnect(&runtime).await else {
                    return;
                };
                listener = fresh;
                let Some(rt) = alive(&runtime) else { return };
                rt.catch_up(&bank_dir).await;
            }
        }
    }
}

/// A new listener: at once, then after 1 s, 2 s, 4 s ... at most 30 s
/// apart. None once the runtime is gone.
async fn reconnect(runtime: &Weak<Inner>) -> Option<ChangeListener> {
    let mut delay = Duration::ZERO;
    loop {
        tokio::time::sleep(delay).await;
        let store = runtime.upgrade()?.store.clone();
        match store.listen().await {
            Ok(Some(listener)) => {
                tracing::info!("the change listener is back");
                return Some(listener);
            }
            Ok(None) => return None,
            Err(e) => tracing::warn!(error = %e, "could not reconnect the change listener"),
        }
        delay = (delay * 2).clamp(Duration::from_secs(1), MAX_RECONNECT_DELAY);
    }
}
