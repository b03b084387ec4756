//! A question's schedule, replayed from its scored answers with FSRS.
//!
//! Nothing about the schedule is stored: every scored answer is one review,
//! graded from its score and coverage, and the schedule is the FSRS card
//! after replaying them in time order. So it always agrees with the answers
//! and disappears with them (`/privacy delete`).
//!
//! FSRS runs in its long-term mode (whole days, no same-day learning steps:
//! a mock interview question is not a flashcard to flip again in a minute)
//! and without fuzz, so the same answers always give the same due time.

use crate::time::Timestamp;
use chrono::{DateTime, Utc};
use rs_fsrs::{Card, Parameters, Rating, FSRS};

/// One scored answer to a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScoredAnswer {
    pub at: Timestamp,
    /// The question's final score, 0-100.
    pub score: u32,
    /// Share of its key points the answer covered, 0-100.
    pub coverage: u32,
}

/// How well an answer went, in FSRS's four grades.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grade {
    Again,
    Hard,
    Good,
    Easy,
}

/// Scores below this are "again": the question comes back the next day.
pub const AGAIN_BELOW: u32 = 50;
/// Scores below this (and at least `AGAIN_BELOW`) are "hard".
pub const HARD_BELOW: u32 = 70;
/// Scores from here are "easy"; between `HARD_BELOW` and this, "good".
pub const EASY_FROM: u32 = 90;

/// The grade of an answer: by score (below 50 again, below 70 hard, below
/// 90 good, else easy), and at most hard when a key point was missed, so a
/// question with a gap comes back soon however confident the self-rating.
pub fn grade(score: u32, coverage: u32) -> Grade {
    let by_score = if score < AGAIN_BELOW {
        Grade::Again
    } else if score < HARD_BELOW {
        Grade::Hard
    } else if score < EASY_FROM {
        Grade::Good
    } else {
        Grade::Easy
    };
    if coverage < 100 {
        by_score.min(Grade::Hard)
    } else {
        by_score
    }
}

/// A question's schedule after its answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuestionSchedule {
    pub due: Timestamp,
    pub reviews: u32,
    pub last: ScoredAnswer,
    /// FSRS stability in days: about how long it is remembered.
    pub stability_days: f64,
}

impl QuestionSchedule {
    pub fn is_due(&self, now: Timestamp) -> bool {
        self.due <= now
    }
}

/// Replays `answers` (any order; sorted here) through FSRS. None for none.
pub fn replay(answers: &[ScoredAnswer]) -> Option<QuestionSchedule> {
    let mut sorted = answers.to_vec();
    sorted.sort_by_key(|a| a.at);
    let last = *sorted.last()?;
    let fsrs = FSRS::new(Parameters {
        enable_short_term: false,
        enable_fuzz: false,
        ..Parameters::default()
    });
    let mut card = Card::default();
    for a in &sorted {
        let at = to_chrono(a.at);
        if card.reps == 0 {
            card.due = at;
            card.last_review = at;
        }
        card = fsrs.next(card, at, rating(grade(a.score, a.coverage))).card;
    }
    Some(QuestionSchedule {
        due: Timestamp(card.due.timestamp_millis()),
        reviews: sorted.len() as u32,
        last,
        stability_days: card.stability,
    })
}

fn rating(g: Grade) -> Rating {
    match g {
        Grade::Again => Rating::Again,
        Grade::Hard => Rating::Hard,
        Grade::Good => Rating::Good,
        Grade::Easy => Rating::Easy,
    }
}

fn to_chrono(t: Timestamp) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(t.millis()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    #[test]
    fn grades_follow_the_score_and_a_missed_key_point_caps_them() {
        assert_eq!(grade(0, 0), Grade::Again);
        assert_eq!(grade(49, 100), Grade::Again);
        assert_eq!(grade(50, 100), Grade::Hard);
        assert_eq!(grade(75, 100), Grade::Good);
        assert_eq!(grade(95, 100), Grade::Easy);
        assert_eq!(grade(95, 67), Grade::Hard);
        assert_eq!(grade(30, 67), Grade::Again);
    }

    #[test]
    fn a_first_bad_answer_is_due_the_next_day() {
        let s = replay(&[ScoredAnswer {
            at: Timestamp(10 * DAY),
            score: 10,
            coverage: 0,
        }])
        .expect("one answer");
        assert_eq!(s.due, Timestamp(11 * DAY));
    }
}
