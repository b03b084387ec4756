//! Wall-clock time as epoch milliseconds, and the clock the runtime reads.
//!
//! The engine never reads a clock: callers pass `Timestamp`s in. The runtime
//! and the bot read a [`Clock`]: the system's in production, a manual one in
//! tests, which moves only when the test advances it. tokio's paused clock is
//! no substitute: its auto-advance fires sqlx's pool acquire timeout while
//! SQLite's worker thread runs.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::watch;

/// The longest single sleep on the system clock. Sleeping in bounded steps
/// keeps any deadline (even centuries away) within what tokio's timer
/// accepts, and re-reading the wall clock each step follows clock corrections.
const MAX_SLEEP: Duration = Duration::from_secs(3600);

/// Milliseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn millis(self) -> i64 {
        self.0
    }

    pub fn plus(self, d: Duration) -> Timestamp {
        Timestamp(
            self.0
                .saturating_add(i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
        )
    }

    pub fn minus(self, d: Duration) -> Timestamp {
        Timestamp(
            self.0
                .saturating_sub(i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
        )
    }

    /// Time from `self` until `later`, zero if `later` is not later.
    pub fn until(self, later: Timestamp) -> Duration {
        Duration::from_millis(u64::try_from(later.0.saturating_sub(self.0)).unwrap_or(0))
    }

    pub fn system_now() -> Timestamp {
        let ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        Timestamp(i64::try_from(ms).unwrap_or(i64::MAX))
    }
}

/// Where "now" comes from. A cheap handle: clones share one source, so a
/// test that advances its clock moves the runtime's and the bot's with it.
#[derive(Clone)]
pub struct Clock {
    source: Arc<Source>,
}

enum Source {
    System,
    /// The current reading; receivers wake on every change.
    Manual(watch::Sender<Timestamp>),
}

impl Clock {
    /// The system's wall clock.
    pub fn new() -> Clock {
        Clock::system()
    }

    /// The system's wall clock.
    pub fn system() -> Clock {
        Clock {
            source: Arc::new(Source::System),
        }
    }

    /// A clock that reads `start` until [`Clock::advance`] or [`Clock::set`]
    /// moves it; real time never moves it.
    pub fn manual(start: Timestamp) -> Clock {
        Clock {
            source: Arc::new(Source::Manual(watch::Sender::new(start))),
        }
    }

    pub fn now(&self) -> Timestamp {
        match &*self.source {
            Source::System => Timestamp::system_now(),
            Source::Manual(tx) => *tx.borrow(),
        }
    }

    /// Moves a manual clock forward by `d` and wakes every sleeper now due;
    /// returns the new reading. The system clock cannot be moved: it is left
    /// as it is.
    pub fn advance(&self, d: Duration) -> Timestamp {
        match &*self.source {
            Source::System => {
                tracing::warn!("advance() on the system clock does nothing");
                Timestamp::system_now()
            }
            Source::Manual(tx) => {
                tx.send_modify(|now| *now = now.plus(d));
                *tx.borrow()
            }
        }
    }

    /// Sets a manual clock to `at` (which may be earlier than now).
    pub fn set(&self, at: Timestamp) {
        match &*self.source {
            Source::System => tracing::warn!("set() on the system clock does nothing"),
            Source::Manual(tx) => {
                tx.send_replace(at);
            }
        }
    }

    /// Returns once the clock reads `at` or later. On a manual clock that is
    /// as soon as an advance passes `at`, never by real time.
    pub async fn sleep_until(&self, at: Timestamp) {
        match &*self.source {
            Source::System => loop {
                let left = Timestamp::system_now().until(at);
                if left.is_zero() {
                    return;
                }
                tokio::time::sleep(left.min(MAX_SLEEP)).await;
            },
            Source::Manual(tx) => {
                let mut rx = tx.subscribe();
                // Only fails once the sender is gone, and `self` holds it.
                let _ = rx.wait_for(|now| *now >= at).await;
            }
        }
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.source {
            Source::System => f.write_str("Clock::system"),
            Source::Manual(tx) => write!(f, "Clock::manual({})", tx.borrow().0),
        }
    }
}

/// Monday 00:00 UTC of the week holding `t` (1970-01-01 was a Thursday).
pub fn week_start(t: Timestamp) -> Timestamp {
    const DAY: i64 = 86_400_000;
    let day = t.millis().div_euclid(DAY);
    Timestamp((day - (day + 3).rem_euclid(7)) * DAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: Timestamp = Timestamp(1_800_000_000_000);

    #[tokio::test]
    async fn a_manual_clock_stands_still_until_advanced_and_clones_share_it() {
        let clock = Clock::manual(T0);
        let other = clock.clone();
        tokio::task::yield_now().await;
        assert_eq!(clock.now(), T0);
        assert_eq!(
            clock.advance(Duration::from_secs(2)),
            Timestamp(T0.0 + 2000)
        );
        assert_eq!(other.now(), Timestamp(T0.0 + 2000));
        other.set(T0);
        assert_eq!(clock.now(), T0);
    }

    #[tokio::test]
    async fn a_sleeper_wakes_when_an_advance_passes_its_time_and_not_before() {
        let clock = Clock::manual(T0);
        let at = T0.plus(Duration::from_secs(10));
        let sleeper = tokio::spawn({
            let clock = clock.clone();
            async move { clock.sleep_until(at).await }
        });
        clock.advance(Duration::from_secs(9));
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        assert!(!sleeper.is_finished(), "woke before its time");
        clock.advance(Duration::from_secs(5));
        tokio::time::timeout(Duration::from_secs(5), sleeper)
            .await
            .expect("woke once due")
            .expect("no panic");
    }

    #[tokio::test]
    async fn the_system_clock_sleeps_until_a_past_time_without_waiting() {
        let clock = Clock::system();
        let past = clock.now().minus(Duration::from_secs(1));
        tokio::time::timeout(Duration::from_secs(5), clock.sleep_until(past))
            .await
            .expect("a past time is already due");
    }

    #[test]
    fn until_never_overflows_on_far_apart_times() {
        assert_eq!(
            Timestamp(i64::MIN).until(Timestamp(i64::MAX)),
            Duration::from_millis(i64::MAX as u64)
        );
        assert_eq!(
            Timestamp(i64::MAX).until(Timestamp(i64::MIN)),
            Duration::ZERO
        );
    }
}
