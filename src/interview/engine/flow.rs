//! How a session moves on: its deadlines, closing an answer, scoring it,
//! the next question, and the end.

use super::{record_outcome, reminder_lead, settle_score};
use crate::bank::{Bank, Question};
use crate::interview::effects::*;
use crate::interview::scoring;
use crate::interview::summary::Summary;
use crate::interview::types::*;
use crate::time::Timestamp;
use std::time::Duration;

impl SessionState {
    pub(super) fn tick(
        &mut self,
        bank: &Bank,
        now: Timestamp,
        fx: &mut Vec<Effect>,
    ) -> Result<(), EngineError> {
        match self.phase.clone() {
            Phase::Answering {
                deadline,
                remind_at,
                reminded,
            } => {
                if now >= deadline {
                    let outcome = if self.current_mut().answer.trim().is_empty() {
                        Outcome::Unanswered
                    } else {
                        Outcome::TimedOut
                    };
                    self.close_answer(bank, outcome, now, fx)?;
                } else if !reminded && now >= remind_at {
                    self.phase = Phase::Answering {
                        deadline,
                        remind_at,
                        reminded: true,
                    };
                    let cur = self.current_mut();
                    fx.push(Effect::Remind {
                        position: cur.position,
                        candidate: cur.candidate,
                        deadline,
                    });
                }
            }
            Phase::Scoring { until } if now >= until => self.finalise(bank, now, fx)?,
            _ => {}
        }
        Ok(())
    }

    /// Ends the answer time of the current question with `outcome`.
    pub(super) fn close_answer(
        &mut self,
        bank: &Bank,
        outcome: Outcome,
        now: Timestamp,
        fx: &mut Vec<Effect>,
    ) -> Result<(), EngineError> {
        let q = self.current_question(bank)?.clone();
        let deadline = self.current_mut().deadline;
        let kind = self.kind;
        let window = Duration::from_secs(self.settings.rating_window_secs);
        let cur = self.current_mut();
        record_outcome(cur, Some(&q), outcome, now);
        // Panels are scored whether or not anything was written (answers can
        // be spoken); solo ratings only make sense for a written answer.
        let rate_until = match kind {
            SessionKind::Panel => Some(deadline.max(now).plus(window)),
            SessionKind::Solo if outcome.has_answer() => Some(now.plus(window)),
            SessionKind::Solo => None,
        };
        let (covered, missed): (Vec<_>, Vec<_>) = q
            .key_points
            .iter()
            .enumerate()
            .partition(|(i, _)| cur.covered.get(*i).copied().unwrap_or(false));
        fx.push(Effect::Feedback(Feedback {
            position: cur.position,
            question_id: q.id.clone(),
            candidate: cur.candidate,
            outcome,
            coverage: scoring::coverage_percent(&cur.covered),
            covered: covered
                .into_iter()
                .map(|(i, k)| CoveredPoint {
                    point: k.point.clone(),
                    heard: cur.heard.get(i).cloned().unwrap_or_default(),
                })
                .collect(),
            missed: missed.into_iter().map(|(_, k)| k.point.clone()).collect(),
            model_answer: q.model_answer.clone(),
            follow_ups: q.follow_ups.clone(),
            rate_until,
        }));
        match rate_until {
            Some(until) if kind == SessionKind::Solo || self.waiting_for_scores() > 0 => {
                self.phase = Phase::Scoring { until };
                Ok(())
            }
            _ => self.finalise(bank, now, fx),
        }
    }

    /// Fixes the current question's score and moves on.
    pub(super) fn finalise(
        &mut self,
        bank: &Bank,
        now: Timestamp,
        fx: &mut Vec<Effect>,
    ) -> Result<(), EngineError> {
        let (kind, penalty) = (self.kind, self.settings.hint_penalty);
        let cur = self.current_mut();
        settle_score(cur, kind, penalty);
        fx.push(Effect::Scored {
            position: cur.position,
            candidate: cur.candidate,
            score: cur.score,
            points: cur.points,
        });
        let next = cur.position + 1;
        self.advance(bank, next, now, fx)
    }

    /// Asks the first planned question at or after `from` whose candidate is
    /// still here, or ends the session.
    pub(super) fn advance(
        &mut self,
        bank: &Bank,
        from: usize,
        now: Timestamp,
        fx: &mut Vec<Effect>,
    ) -> Result<(), EngineError> {
        // A question removed by a bank reload is passed over, like a
        // candidate who left, rather than leaving the session stuck.
        let next = (from..self.plan.len()).find(|&i| {
            let planned = &self.plan[i];
            self.participant(planned.candidate).is_some_and(|p| !p.left)
                && bank.question(&planned.question_id).is_some()
        });
        let Some(position) = next else {
            return self.finish(bank, Status::Finished, now, fx);
        };
        let planned = self.plan[position].clone();
        let q = bank
            .question(&planned.question_id)
            .ok_or(EngineError::QuestionMissing)?;
        let total = self.answer_time(q);
        let deadline = now.plus(total);
        self.phase = Phase::Answering {
            deadline,
            remind_at: deadline.minus(reminder_lead(total)),
            reminded: false,
        };
        self.results.push(QuestionResult {
            position,
            question_id: q.id.clone(),
            topic: q.topic.clone(),
            difficulty: q.difficulty,
            candidate: planned.candidate,
            asked_at: now,
            deadline,
            answer: String::new(),
            hints_used: 0,
            follow_ups_asked: Vec::new(),
            outcome: None,
            answered_at: None,
            covered: Vec::new(),
            heard: Vec::new(),
            self_rating: None,
            scorecards: Vec::new(),
            score: None,
            points: 0.0,
            finalised: false,
            ai: None,
        });
        fx.push(Effect::Ask {
            position,
            number: position + 1,
            total: self.plan.len(),
            question_id: q.id.clone(),
            candidate: planned.candidate,
            deadline,
        });
        Ok(())
    }

    /// Question time: an explicit override, else the question's own limit,
    /// else the session's minutes, else the difficulty's default.
    pub fn answer_time(&self, q: &Question) -> Duration {
        let secs = self
            .settings
            .seconds_override
            .or(q.time_limit_minutes.map(|m| f64::from(m) * 60.0))
            .or(self.settings.minutes.map(|m| m * 60.0))
            .unwrap_or(f64::from(q.difficulty.default_minutes()) * 60.0);
        Duration::from_millis((secs.max(0.05) * 1000.0) as u64)
    }

    pub(super) fn finish(
        &mut self,
        bank: &Bank,
        status: Status,
        now: Timestamp,
        fx: &mut Vec<Effect>,
    ) -> Result<(), EngineError> {
        let (kind, penalty) = (self.kind, self.settings.hint_penalty);
        if let Some(cur) = self.results.last_mut().filter(|r| !r.finalised) {
            if cur.outcome.is_none() {
                let outcome = if cur.answer.trim().is_empty() {
                    Outcome::Unanswered
                } else {
                    Outcome::TimedOut
                };
                let q = bank.question(&cur.question_id);
                record_outcome(cur, q, outcome, now);
            }
            settle_score(cur, kind, penalty);
        }
        self.status = status;
        self.phase = Phase::Done;
        self.ended_at = Some(now);
        fx.push(Effect::Ended(Box::new(Summary::of(self, bank))));
        Ok(())
    }
}
