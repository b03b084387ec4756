//! What a review session asks, decided from explicit inputs and `now`.
//!
//! Due, in this order: questions with open follow-up notes whose schedule
//! has come (or that have no schedule: a note with nothing scored behind
//! it), then other questions whose schedule has come, lowest last score
//! first. When none is due, questions never answered from the person's
//! weakest topics (averages below [`HARD_BELOW`]) stand in. When there are
//! none of those either, nothing is due and the next due time is given.

use super::schedule::{QuestionSchedule, HARD_BELOW};
use crate::bank::Bank;
use crate::time::Timestamp;
use std::collections::{BTreeMap, HashSet};

/// A person's review state, as the store reads it.
#[derive(Debug, Clone, Default)]
pub struct ReviewInputs {
    /// Every question they have a scored answer to, with its schedule.
    pub schedules: BTreeMap<String, QuestionSchedule>,
    /// Open follow-up notes per question.
    pub open_notes: BTreeMap<String, usize>,
    /// Topics by average score, weakest first, with that average.
    pub topic_averages: Vec<(String, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DueReason {
    /// Open notes on it (and its schedule, if any, has come).
    OpenNotes(usize),
    /// Its schedule has come; the last score it got.
    Scheduled { last_score: u32 },
    /// Never answered, from one of the weakest topics.
    WeakTopic(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct DueItem {
    pub question_id: String,
    pub reason: DueReason,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DueChoice {
    Due(Vec<DueItem>),
    /// Nothing to review now; when the next scheduled question comes due.
    Nothing {
        next_due: Option<Timestamp>,
    },
}

impl ReviewInputs {
    /// Questions due now from schedules and notes (no stand-ins), in order.
    /// Questions the bank no longer has are left out.
    pub fn due_now(&self, bank: &Bank, now: Timestamp) -> Vec<DueItem> {
        let mut noted: Vec<(&String, usize, Option<&QuestionSchedule>)> = self
            .open_notes
            .iter()
            .map(|(q, &n)| (q, n, self.schedules.get(q)))
            .filter(|(_, n, s)| *n > 0 && s.map_or(true, |s| s.is_due(now)))
            .collect();
        noted.sort_by_key(|(q, _, s)| (s.map(|s| s.due), *q));
        let mut scheduled: Vec<(&String, &QuestionSchedule)> = self
            .schedules
            .iter()
            .filter(|(q, s)| s.is_due(now) && self.open_notes.get(*q).copied().unwrap_or(0) == 0)
            .collect();
        scheduled.sort_by_key(|(q, s)| (s.last.score, s.due, *q));
        noted
            .into_iter()
            .map(|(q, n, _)| (q, DueReason::OpenNotes(n)))
            .chain(scheduled.into_iter().map(|(q, s)| {
                let last_score = s.last.score;
                (q, DueReason::Scheduled { last_score })
            }))
            .filter(|(q, _)| bank.question(q).is_some())
            .map(|(q, reason)| DueItem {
                question_id: q.clone(),
                reason,
            })
            .collect()
    }

    /// The earliest due time still to come.
    pub fn next_due(&self, now: Timestamp) -> Option<Timestamp> {
        self.schedules
            .values()
            .map(|s| s.due)
            .filter(|&d| d > now)
            .min()
    }

    /// Never-answered questions of the weakest topics (below
    /// [`HARD_BELOW`], at most three topics), taken in turn from each
    /// topic, easiest first.
    fn weak_topic_questions(&self, bank: &Bank, limit: usize) -> Vec<DueItem> {
        let answered: HashSet<&String> = self.schedules.keys().collect();
        let mut per_topic: Vec<Vec<DueItem>> = self
            .topic_averages
            .iter()
            .filter(|(_, avg)| *avg < f64::from(HARD_BELOW))
            .take(3)
            .map(|(topic, _)| {
                let mut qs: Vec<_> = bank
                    .questions
                    .iter()
                    .filter(|q| &q.topic == topic && !answered.contains(&q.id))
                    .collect();
                qs.sort_by_key(|q| (q.difficulty, q.id.clone()));
                qs.into_iter()
                    .rev()
                    .map(|q| DueItem {
                        question_id: q.id.clone(),
                        reason: DueReason::WeakTopic(topic.clone()),
                    })
                    .collect()
            })
            .collect();
        let mut out = Vec::new();
        while out.len() < limit && per_topic.iter().any(|t| !t.is_empty()) {
            for t in per_topic.iter_mut() {
                if out.len() < limit {
                    out.extend(t.pop());
                }
            }
        }
        out
    }
}

/// Up to `limit` questions to review now, or when the next one comes due.
pub fn choose(bank: &Bank, inputs: &ReviewInputs, now: Timestamp, limit: usize) -> DueChoice {
    let mut due = inputs.due_now(bank, now);
    if due.is_empty() {
        due = inputs.weak_topic_questions(bank, limit);
    }
    due.truncate(limit);
    if due.is_empty() {
        DueChoice::Nothing {
            next_due: inputs.next_due(now),
        }
    } else {
        DueChoice::Due(due)
    }
}
