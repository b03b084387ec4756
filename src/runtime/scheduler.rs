//! One task fires every armed deadline; a supervisor restarts it if it ever
//! ends or panics. The deadlines live in state the supervisor owns (not in
//! the task), so a restart loses none, and arming is a plain insert that
//! cannot fail even while the task is down.
//!
//! The task sleeps on the runtime's `Clock` until the earliest deadline or
//! until an earlier one is armed. On a manual clock an advance wakes it, so
//! tests fire deadlines without waiting real time.

mod deadlines;

use super::{Event, Inner, Runtime, RuntimeError};
use crate::store::SessionId;
use crate::time::{Clock, Timestamp};
use deadlines::Deadlines;
use deadlines::Retry;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;
use tokio::sync::Notify;

/// A task that ran this long before it failed was not crash-looping, so the
/// next restart is immediate again.
const HEALTHY_RUN: Duration = Duration::from_secs(60);
const MAX_RESTART_DELAY: Duration = Duration::from_secs(30);

pub(super) struct Scheduler {
    shared: Arc<Shared>,
}

struct Shared {
    deadlines: Mutex<Deadlines>,
    /// Woken when a deadline is armed, and when the runtime goes away.
    wake: Notify,
    closed: AtomicBool,
    /// Set by a test hook: the task panics at its next wake-up.
    kill: AtomicBool,
    restarts: AtomicUsize,
}

impl Shared {
    fn deadlines(&self) -> MutexGuard<'_, Deadlines> {
        // Deadlines are updated in single steps that cannot panic halfway,
        // so a poisoned lock still holds consistent data.
        self.deadlines.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Scheduler {
    pub(super) fn spawn(clock: Clock, runtime: Weak<Inner>) -> Scheduler {
        let shared = Arc::new(Shared {
            deadlines: Mutex::new(Deadlines::default()),
            wake: Notify::new(),
            closed: AtomicBool::new(false),
            kill: AtomicBool::new(false),
            restarts: AtomicUsize::new(0),
        });
        tokio::spawn(supervise(Arc::clone(&shared), clock, runtime));
        Scheduler { shared }
    }

    /// Sets (or with None clears) the one deadline of a session.
    pub(super) fn arm(&self, id: SessionId, at: Option<Timestamp>) {
        self.shared.deadlines().arm(id, at);
        self.shared.wake.notify_one();
    }

    /// Arms a retry of a failed firing after its backoff.
    pub(super) fn retry(&self, id: SessionId, now: Timestamp) -> Retry {
        let retry = self.shared.deadlines().retry(id, now);
        self.shared.wake.notify_one();
        retry
    }

    /// Forgets a session's failed firings without touching its deadline,
    /// which a person's press may have armed meanwhile.
    pub(super) fn give_up(&self, id: SessionId) {
        self.shared.deadlines().give_up(id);
    }

    pub(super) fn armed(&self) -> usize {
        self.shared.deadlines().len()
    }

    pub(super) fn deadline(&self, id: SessionId) -> Option<Timestamp> {
        self.shared.deadlines().get(id)
    }

    pub(super) fn restarts(&self) -> usize {
        self.shared.restarts.load(Ordering::Relaxed)
    }

    pub(super) fn kill(&self) {
        self.shared.kill.store(true, Ordering::Relaxed);
        self.shared.wake.notify_one();
    }
}

impl Scheduler {
    /// Stops firing for good (the deadlines stay stored for the next start).
    pub(super) fn close(&self) {
        self.shared.closed.store(true, Ordering::Relaxed);
        self.shared.wake.notify_one();
    }
}

impl Drop for Scheduler {
    fn drop(&mut self) {
        self.close();
    }
}

/// Runs the firing task and restarts it whenever it stops while the runtime
/// is still alive, with a growing pause only if it keeps failing at once.
async fn supervise(shared: Arc<Shared>, clock: Clock, runtime: Weak<Inner>) {
    let mut quick_failures = 0u32;
    loop {
        let started = tokio::time::Instant::now();
        let task = tokio::spawn(run(Arc::clone(&shared), clock.clone(), runtime.clone()));
        let outcome = task.await;
        if shared.closed.load(Ordering::Relaxed) || runtime.strong_count() == 0 {
            return;
        }
        let why = match outcome {
            Ok(()) => "ended".to_string(),
            Err(e) if e.is_panic() => format!("panicked: {}", panic_text(e.into_panic())),
            Err(e) => format!("stopped: {e}"),
        };
        let restart = shared.restarts.fetch_add(1, Ordering::Relaxed) + 1;
        tracing::error!(
            restart,
            armed = shared.deadlines().len(),
            "the deadline scheduler {why}; restarting it with every armed deadline"
        );
        quick_failures = if started.elapsed() >= HEALTHY_RUN {
            0
        } else {
            quick_failures + 1
        };
        if quick_failures > 1 {
            // Real time on purpose: this only keeps a crash loop from
            // spinning a core; it is not a deadline.
            let pause = Duration::from_millis(100)
                .saturating_mul(1 << (quick_failures - 2).min(9))
                .min(MAX_RESTART_DELAY);
            tokio::time::sleep(pause).await;
        }
    }
}

impl Runtime {
    /// When a session's deadline (or the retry of a failed one) is armed for.
    pub fn armed_at(&self, id: SessionId) -> Option<Timestamp> {
        self.inner.scheduler.deadline(id)
    }

    /// Stops firing deadlines: a stopped front end's runtime must not move
    /// sessions on while another process (or a restarted bot) owns them.
    pub fn shutdown(&self) {
        self.inner.scheduler.close();
    }

    /// How often the deadline scheduler was restarted after it stopped.
    pub fn scheduler_restarts(&self) -> usize {
        self.inner.scheduler.restarts()
    }

    /// Test hook: makes the scheduler task panic at its next wake-up, to
    /// show that its supervisor restarts it.
    #[doc(hidden)]
    pub fn kill_scheduler_for_tests(&self) {
        self.inner.scheduler.kill();
    }
}

impl Inner {
    /// Called by the scheduler when a session's deadline comes. A firing
    /// that fails on the database is retried with backoff, so one busy moment
    /// does not freeze the session until the next restart.
    pub(super) async fn fire(&self, id: SessionId, due: Timestamp) {
        let fired_at = Some(self.clock.now());
        match self
            .transition(id, super::Step::Event(Event::Tick), fired_at)
            .await
        {
            Ok(d) if !d.effects.is_empty() => {
                self.metrics.deadline_late(due.until(self.clock.now()));
                let _ = self.deliveries.send(d);
            }
            Ok(_) => {}
            Err(e @ RuntimeError::Store(_)) => {
                let now = self.clock.now();
                let retry = self.scheduler.retry(id, now);
                self.metrics.error("deadline");
                tracing::error!(
                    session_id = id,
                    attempt = retry.attempt,
                    retry_in_ms = now.until(retry.at).as_millis() as u64,
                    error = %e,
                    "deadline handling failed; retrying"
                );
            }
            // Gone, or refused by the engine: trying again cannot help.
            Err(e) => {
                self.scheduler.give_up(id);
                self.metrics.error("deadline");
                tracing::error!(session_id = id, error = %e, "deadline handling failed; not retrying");
            }
        }
    }
}

async fn run(shared: Arc<Shared>, clock: Clock, runtime: Weak<Inner>) {
    loop {
        if shared.closed.load(Ordering::Relaxed) {
            return;
        }
        if shared.kill.swap(false, Ordering::Relaxed) {
            panic!("the deadline scheduler was stopped by a test hook");
        }
        // notify_one leaves a permit when nobody waits yet, so an arm
        // between reading the deadlines and waiting is never missed.
        let woken = shared.wake.notified();
        let (due, next) = shared.deadlines().take_due(clock.now());
        for (id, at) in due {
            let Some(rt) = runtime.upgrade() else { return };
            tokio::spawn(async move { rt.fire(id, at).await });
        }
        match next {
            Some(at) => tokio::select! {
                _ = clock.sleep_until(at) => {}
                _ = woken => {}
            },
            None => woken.await,
        }
    }
}

fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_string())
}
