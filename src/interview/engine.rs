//! The session state machine. Pure: the caller passes the time in, stores the
//! new state and shows the effects. A refused event leaves the state as it was.

use super::effects::*;
use super::scoring;
use super::types::*;
use crate::bank::{Bank, Question};
use crate::grading::{Credit, Verdict};
use crate::time::Timestamp;
use std::time::Duration;

mod events;
mod flow;

/// The question order of a session: candidates take turns, each answering
/// `per_candidate` questions. When `questions` are too few for that, every
/// candidate gets the same smaller number, so nobody has more turns.
pub fn plan(
    questions: &[&Question],
    candidates: &[UserId],
    per_candidate: usize,
) -> Vec<PlannedQuestion> {
    let rounds = per_candidate.min(questions.len() / candidates.len().max(1));
    let mut ids = questions.iter().map(|q| q.id.clone());
    let mut plan = Vec::new();
    for _ in 0..rounds {
        for &candidate in candidates {
            if let Some(question_id) = ids.next() {
                plan.push(PlannedQuestion {
                    question_id,
                    candidate,
                });
            }
        }
    }
    plan
}

/// The reminder comes when a minute is left, or a fifth of the time if less.
pub fn reminder_lead(total: Duration) -> Duration {
    Duration::from_secs(60).min(total / 5)
}

impl SessionState {
    /// A new running session, with its first question asked at `now`.
    pub fn start(
        bank: &Bank,
        kind: SessionKind,
        owner: UserId,
        participants: Vec<Participant>,
        plan: Vec<PlannedQuestion>,
        settings: Settings,
        now: Timestamp,
    ) -> Result<(SessionState, Vec<Effect>), EngineError> {
        let mut state = SessionState {
            kind,
            status: Status::Running,
            owner,
            participants,
            plan,
            results: Vec::new(),
            phase: Phase::Done,
            settings,
            started_at: now,
            ended_at: None,
            ai_notice_given: false,
        };
        let mut effects = Vec::new();
        state.advance(bank, 0, now, &mut effects)?;
        Ok((state, effects))
    }

    pub fn is_running(&self) -> bool {
        self.status == Status::Running
    }

    pub fn current(&self) -> Option<&QuestionResult> {
        self.results.last().filter(|r| !r.finalised)
    }

    /// The next moment a `Tick` can change anything.
    pub fn next_wakeup(&self) -> Option<Timestamp> {
        if !self.is_running() {
            return None;
        }
        match &self.phase {
            Phase::Answering {
                deadline,
                remind_at,
                reminded,
            } => Some(if *reminded {
                *deadline
            } else {
                (*remind_at).min(*deadline)
            }),
            Phase::Scoring { until } => Some(*until),
            Phase::Done => None,
        }
    }

    pub fn participant(&self, user: UserId) -> Option<&Participant> {
        self.participants.iter().find(|p| p.user == user)
    }

    pub fn active_interviewers(&self) -> impl Iterator<Item = &Participant> {
        self.participants
            .iter()
            .filter(|p| p.role == Role::Interviewer && !p.left)
    }

    /// Applies one event. On error the state is unchanged.
    pub fn apply(
        &mut self,
        bank: &Bank,
        event: Event,
        now: Timestamp,
    ) -> Result<Vec<Effect>, EngineError> {
        let mut next = self.clone();
        let effects = next.apply_inner(bank, event, now)?;
        *self = next;
        Ok(effects)
    }

    fn apply_inner(
        &mut self,
        bank: &Bank,
        event: Event,
        now: Timestamp,
    ) -> Result<Vec<Effect>, EngineError> {
        let mut fx = Vec::new();
        if let Event::Review { position, review } = event {
            self.review(bank, position, review, &mut fx);
            return Ok(fx);
        }
        if !self.is_running() {
            // Late timers and presses after the end are harmless no-ops.
            return match event {
                Event::Tick | Event::Abandon => Ok(fx),
                _ => Err(EngineError::Ended),
            };
        }
        match event {
            Event::Answer { by, text } => {
                let pos = self.answering_candidate(by)?;
                fx.push(self.append_answer(pos, &text));
            }
            Event::Submit { by } => {
                self.answering_candidate(by)?;
                self.submit(bank, now, &mut fx)?;
            }
            Event::SubmitWith { by, text } => {
                let pos = self.answering_candidate(by)?;
                fx.push(self.append_answer(pos, &text));
                self.submit(bank, now, &mut fx)?;
            }
            Event::Skip { by } => {
                self.answering_candidate(by)?;
                self.close_answer(bank, Outcome::Skipped, now, &mut fx)?;
            }
            Event::Hint { by } => self.hint(bank, by, &mut fx)?,
            Event::FollowUp { by, index } => self.follow_up(bank, by, index, &mut fx)?,
            Event::Rate { by, rating } => self.rate(bank, by, rating, now, &mut fx)?,
            Event::Score { card } => self.score(bank, card, now, &mut fx)?,
            Event::Tick => self.tick(bank, now, &mut fx)?,
            Event::End { by } => {
                self.may_end(by)?;
                self.finish(bank, Status::Finished, now, &mut fx)?;
            }
            Event::Abandon => self.finish(bank, Status::Abandoned, now, &mut fx)?,
            Event::Leave { user } => self.leave(bank, user, now, &mut fx)?,
            Event::Review { .. } => {} // handled above, in any status
        }
        Ok(fx)
    }

    fn append_answer(&mut self, position: usize, text: &str) -> Effect {
        let cur = self.current_mut();
        if !cur.answer.is_empty() && !text.is_empty() {
            cur.answer.push('\n');
        }
        cur.answer.push_str(text.trim_end());
        Effect::AnswerSaved {
            position,
            chars: cur.answer.chars().count(),
        }
    }

    fn submit(
        &mut self,
        bank: &Bank,
        now: Timestamp,
        fx: &mut Vec<Effect>,
    ) -> Result<(), EngineError> {
        if self.current_mut().answer.trim().is_empty() {
            return Err(EngineError::EmptyAnswer);
        }
        self.close_answer(bank, Outcome::Answered, now, fx)
    }

    fn current_mut(&mut self) -> &mut QuestionResult {
        // Callers check `current()` first; an empty list cannot happen while
        // running because `start` asks a question or finishes.
        let len = self.results.len();
        &mut self.results[len.saturating_sub(1)]
    }

    fn current_has_answer(&self) -> bool {
        self.current()
            .and_then(|c| c.outcome)
            .is_some_and(Outcome::has_answer)
    }

    fn current_question<'b>(&self, bank: &'b Bank) -> Result<&'b Question, EngineError> {
        let cur = self.current().ok_or(EngineError::NotAnswering)?;
        bank.question(&cur.question_id)
            .ok_or(EngineError::QuestionMissing)
    }

    fn waiting_for_scores(&self) -> usize {
        let Some(cur) = self.current() else { return 0 };
        self.active_interviewers()
            .filter(|i| !cur.scorecards.iter().any(|c| c.interviewer == i.user))
            .count()
    }

    /// Checks that `by` is the candidate whose answer time is running.
    fn answering_candidate(&self, by: UserId) -> Result<usize, EngineError> {
        let pos = self.answering_candidate_any_phase(by)?;
        if !matches!(self.phase, Phase::Answering { .. }) {
            return Err(EngineError::NotAnswering);
        }
        Ok(pos)
    }

    fn answering_candidate_any_phase(&self, by: UserId) -> Result<usize, EngineError> {
        let p = self
            .participant(by)
            .filter(|p| !p.left)
            .ok_or(EngineError::NotAParticipant)?;
        if p.role != Role::Candidate {
            return Err(EngineError::CandidatesOnly);
        }
        let cur = self.current().ok_or(EngineError::NotAnswering)?;
        if cur.candidate != by {
            return Err(EngineError::NotYourTurn);
        }
        Ok(cur.position)
    }
}

/// Closes the answer: which key points it covered, and when.
fn record_outcome(
    cur: &mut QuestionResult,
    q: Option<&Question>,
    outcome: Outcome,
    now: Timestamp,
) {
    cur.outcome = Some(outcome);
    cur.answered_at = Some(now);
    let verdict = match q {
        Some(q) if outcome.has_answer() => q.rubric.grade(&cur.answer),
        Some(q) => Verdict {
            points: vec![Credit::default(); q.key_points.len()],
        },
        None => Verdict::default(),
    };
    cur.covered = verdict.covered();
    cur.heard = verdict.heard();
}

/// Fixes the score and points of a question by the session kind's formula.
fn settle_score(cur: &mut QuestionResult, kind: SessionKind, penalty: u32) {
    let coverage = cur.coverage_percent();
    cur.score = match kind {
        SessionKind::Solo if cur.outcome.is_some_and(Outcome::has_answer) => Some(
            scoring::solo_score(coverage, cur.self_rating, cur.hints_used, penalty),
        ),
        SessionKind::Solo => Some(0),
        SessionKind::Panel => {
            let ratings: Vec<u8> = cur
                .scorecards
                .iter()
                .flat_map(|c| [c.technical, c.communication, c.problem_solving])
                .collect();
            scoring::panel_score(&ratings, cur.hints_used, penalty)
        }
    };
    cur.points = cur
        .score
        .map(|s| scoring::points(s, cur.difficulty))
        .unwrap_or(0.0);
    cur.finalised = true;
}
