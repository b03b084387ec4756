//! The armed deadlines: one per session, ordered by time, and the retry
//! count of sessions whose last firing failed.
//!
//! A `BTreeSet` of `(time, session)` finds what is due; a map from session
//! to time replaces or clears a session's deadline. Together about 50 bytes
//! an entry, so ten thousand idle interviews cost well under a megabyte.

use crate::store::SessionId;
use crate::time::Timestamp;
use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

/// The first retry of a failed firing waits this long, each next one twice
/// as long, up to `MAX_BACKOFF`.
pub(crate) const FIRST_BACKOFF: Duration = Duration::from_secs(1);
pub(crate) const MAX_BACKOFF: Duration = Duration::from_secs(60);

#[derive(Debug, Default)]
pub(super) struct Deadlines {
    by_time: BTreeSet<(Timestamp, SessionId)>,
    by_session: HashMap<SessionId, Timestamp>,
    /// Failed firings in a row, per session; only failing sessions appear.
    failures: HashMap<SessionId, u32>,
}

/// A failed firing's retry: which attempt failed and when the next one is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Retry {
    pub attempt: u32,
    pub at: Timestamp,
}

impl Deadlines {
    /// Sets (or with None clears) the one deadline of a session. Arming
    /// after a transition also means the session's last firing worked, so
    /// its failure count starts over.
    pub(super) fn arm(&mut self, id: SessionId, at: Option<Timestamp>) {
        self.failures.remove(&id);
        self.set(id, at);
    }

    fn set(&mut self, id: SessionId, at: Option<Timestamp>) {
        if let Some(old) = self.by_session.remove(&id) {
            self.by_time.remove(&(old, id));
        }
        if let Some(at) = at {
            self.by_session.insert(id, at);
            self.by_time.insert((at, id));
        }
    }

    /// Counts a failed firing and arms the retry after the backoff, unless
    /// something else armed the session meanwhile (a person's press did, so
    /// that deadline is the one that counts).
    pub(super) fn retry(&mut self, id: SessionId, now: Timestamp) -> Retry {
        let attempt = {
            let n = self.failures.entry(id).or_insert(0);
            *n = n.saturating_add(1);
            *n
        };
        let at = now.plus(backoff(attempt));
        if !self.by_session.contains_key(&id) {
            self.set(id, Some(at));
        }
        Retry { attempt, at }
    }

    pub(super) fn give_up(&mut self, id: SessionId) {
        self.failures.remove(&id);
    }

    /// Takes every deadline due at `now`; returns them and the next one.
    pub(super) fn take_due(
        &mut self,
        now: Timestamp,
    ) -> (Vec<(SessionId, Timestamp)>, Option<Timestamp>) {
        let mut due = Vec::new();
        while let Some(&(at, id)) = self.by_time.first() {
            if at > now {
                return (due, Some(at));
            }
            self.by_time.pop_first();
            self.by_session.remove(&id);
            due.push((id, at));
        }
        (due, None)
    }

    pub(super) fn get(&self, id: SessionId) -> Option<Timestamp> {
        self.by_session.get(&id).copied()
    }

    pub(super) fn len(&self) -> usize {
        self.by_session.len()
    }
}

/// 1 s, 2 s, 4 s ... for the first, second, third failure, at most a minute.
pub(crate) fn backoff(attempt: u32) -> Duration {
    let doublings = attempt.saturating_sub(1).min(16);
    FIRST_BACKOFF
        .saturating_mul(1u32 << doublings)
        .min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: Timestamp = Timestamp(1_000_000);

    fn at(s: u64) -> Timestamp {
        T0.plus(Duration::from_secs(s))
    }

    #[test]
    fn rearming_a_session_replaces_its_deadline_and_none_clears_it() {
        let mut d = Deadlines::default();
        d.arm(1, Some(at(10)));
        d.arm(1, Some(at(20)));
        d.arm(2, Some(at(5)));
        assert_eq!((d.len(), d.get(1)), (2, Some(at(20))));
        assert_eq!(d.take_due(at(10)), (vec![(2, at(5))], Some(at(20))));
        d.arm(1, None);
        assert_eq!((d.len(), d.take_due(at(99))), (0, (vec![], None)));
    }

    #[test]
    fn everything_due_is_taken_in_time_order() {
        let mut d = Deadlines::default();
        for (id, s) in [(3, 30), (1, 10), (2, 20), (4, 40)] {
            d.arm(id, Some(at(s)));
        }
        assert_eq!(
            d.take_due(at(30)),
            (vec![(1, at(10)), (2, at(20)), (3, at(30))], Some(at(40)))
        );
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn backoff_doubles_from_one_second_and_stops_at_a_minute() {
        let secs: Vec<u64> = (1..=8).map(|a| backoff(a).as_secs()).collect();
        assert_eq!(secs, [1, 2, 4, 8, 16, 32, 60, 60]);
        assert_eq!(backoff(u32::MAX), MAX_BACKOFF);
    }

    #[test]
    fn retries_count_up_until_a_transition_arms_the_session_again() {
        let mut d = Deadlines::default();
        assert_eq!(
            d.retry(7, T0),
            Retry {
                attempt: 1,
                at: at(1)
            }
        );
        d.take_due(at(1));
        assert_eq!(
            d.retry(7, at(1)),
            Retry {
                attempt: 2,
                at: at(3)
            }
        );
        d.arm(7, Some(at(100)));
        d.take_due(at(100));
        assert_eq!(d.retry(7, at(100)).attempt, 1);
    }

    #[test]
    fn a_retry_never_replaces_a_deadline_armed_meanwhile() {
        let mut d = Deadlines::default();
        d.arm(7, Some(at(50)));
        let r = d.retry(7, T0);
        assert_eq!((r.attempt, d.get(7)), (1, Some(at(50))));
    }
}
