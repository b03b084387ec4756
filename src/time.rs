//! Wall-clock time as epoch milliseconds, and a clock that follows tokio's.
//!
//! The engine never reads a clock: callers pass `Timestamp`s in. The runtime's
//! clock is anchored to tokio's `Instant`, so a test that pauses and advances
//! tokio time moves the runtime's notion of "now" with it.

use serde::{Deserialize, Serialize};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn millis(self) -> i64 {
        self.0
    }

    pub fn seconds(self) -> i64 {
        self.0.div_euclid(1000)
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
        Duration::from_millis(u64::try_from(later.0 - self.0).unwrap_or(0))
    }

    pub fn system_now() -> Timestamp {
        let ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        Timestamp(i64::try_from(ms).unwrap_or(i64::MAX))
    }
}

/// A clock whose readings advance with tokio's timer (and so with its paused
/// test clock), anchored once to the system time.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    anchor_wall: Timestamp,
    anchor_instant: tokio::time::Instant,
}

impl Clock {
    pub fn new() -> Clock {
        Clock::anchored_at(Timestamp::system_now())
    }

    /// A clock that reads `start` now; handy in tests that want fixed dates.
    pub fn anchored_at(start: Timestamp) -> Clock {
        Clock {
            anchor_wall: start,
            anchor_instant: tokio::time::Instant::now(),
        }
    }

    pub fn now(&self) -> Timestamp {
        self.anchor_wall.plus(self.anchor_instant.elapsed())
    }

    /// The tokio instant at which this clock will read `at`.
    pub fn instant_at(&self, at: Timestamp) -> tokio::time::Instant {
        let offset = at.0 - self.anchor_wall.0;
        if offset <= 0 {
            self.anchor_instant
        } else {
            self.anchor_instant + Duration::from_millis(offset as u64)
        }
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::new()
    }
}
