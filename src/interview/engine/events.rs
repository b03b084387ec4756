//! What the presses that change one question do: a hint, a follow-up, a
//! rating, a scorecard; and someone leaving.

use super::record_outcome;
use crate::bank::Bank;
use crate::interview::effects::*;
use crate::interview::types::*;
use crate::time::Timestamp;

impl SessionState {
    pub(super) fn hint(
        &mut self,
        bank: &Bank,
        by: UserId,
        fx: &mut Vec<Effect>,
    ) -> Result<(), EngineError> {
        let pos = self.answering_candidate(by)?;
        let q = self.current_question(bank)?;
        let used = self.current_mut().hints_used as usize;
        let text = q.hints.get(used).cloned().ok_or(EngineError::NoMoreHints)?;
        let cur = self.current_mut();
        cur.hints_used += 1;
        let penalty = cur.hints_used * self.settings.hint_penalty;
        fx.push(Effect::Hint {
            position: pos,
            number: used + 1,
            text,
            penalty,
        });
        Ok(())
    }

    pub(super) fn follow_up(
        &mut self,
        bank: &Bank,
        by: UserId,
        index: usize,
        fx: &mut Vec<Effect>,
    ) -> Result<(), EngineError> {
        let p = self
            .participant(by)
            .filter(|p| !p.left)
            .ok_or(EngineError::NotAParticipant)?;
        let allowed = match self.kind {
            SessionKind::Solo => true,
            SessionKind::Panel => p.role == Role::Interviewer,
        };
        if !allowed {
            return Err(EngineError::InterviewersOnly);
        }
        let q = self.current_question(bank)?;
        let text = q
            .follow_ups
            .get(index)
            .cloned()
            .ok_or(EngineError::NoSuchFollowUp(index + 1))?;
        let cur = self.current_mut();
        if !cur.follow_ups_asked.contains(&index) {
            cur.follow_ups_asked.push(index);
        }
        fx.push(Effect::FollowUp {
            position: cur.position,
            text,
        });
        Ok(())
    }

    pub(super) fn rate(
        &mut self,
        bank: &Bank,
        by: UserId,
        rating: Option<u8>,
        now: Timestamp,
        fx: &mut Vec<Effect>,
    ) -> Result<(), EngineError> {
        if self.kind != SessionKind::Solo {
            return Err(EngineError::InterviewersOnly);
        }
        if rating.is_some_and(|r| !(1..=5).contains(&r)) {
            return Err(EngineError::BadRating);
        }
        self.answering_candidate_any_phase(by)?;
        if !matches!(self.phase, Phase::Scoring { .. }) || !self.current_has_answer() {
            return Err(EngineError::NothingToRate);
        }
        self.current_mut().self_rating = rating;
        self.finalise(bank, now, fx)?;
        Ok(())
    }

    pub(super) fn score(
        &mut self,
        bank: &Bank,
        card: Scorecard,
        now: Timestamp,
        fx: &mut Vec<Effect>,
    ) -> Result<(), EngineError> {
        let p = self
            .participant(card.interviewer)
            .filter(|p| !p.left)
            .ok_or(EngineError::NotAParticipant)?;
        if p.role != Role::Interviewer || self.kind != SessionKind::Panel {
            return Err(EngineError::InterviewersOnly);
        }
        if [card.technical, card.communication, card.problem_solving]
            .iter()
            .any(|r| !(1..=5).contains(r))
        {
            return Err(EngineError::BadRating);
        }
        if self.current().is_none() {
            return Err(EngineError::NothingToRate);
        }
        let interviewer = card.interviewer;
        let cur = self.current_mut();
        cur.scorecards.retain(|c| c.interviewer != interviewer);
        cur.scorecards.push(card);
        let position = cur.position;
        let waiting_for = self.waiting_for_scores();
        fx.push(Effect::ScoreRecorded {
            position,
            interviewer,
            waiting_for,
        });
        if waiting_for == 0 {
            if matches!(self.phase, Phase::Answering { .. }) {
                // Scored before the deadline (an answer given out loud):
                // close it with whatever was written.
                self.close_answer(bank, Outcome::Answered, now, fx)?;
            } else {
                self.finalise(bank, now, fx)?;
            }
        }
        Ok(())
    }

    pub(super) fn leave(
        &mut self,
        bank: &Bank,
        user: UserId,
        now: Timestamp,
        fx: &mut Vec<Effect>,
    ) -> Result<(), EngineError> {
        let Some(p) = self
            .participants
            .iter_mut()
            .find(|p| p.user == user && !p.left)
        else {
            return Ok(());
        };
        p.left = true;
        fx.push(Effect::ParticipantLeft { user });
        let no_candidates = !self
            .participants
            .iter()
            .any(|p| p.role == Role::Candidate && !p.left);
        if no_candidates {
            self.finish(bank, Status::Finished, now, fx)?;
        } else if self.current().is_some_and(|c| c.candidate == user) {
            // Nobody is there to answer or to be scored: close it now.
            let cur = self.current_mut();
            if cur.outcome.is_none() {
                let q = bank.question(&cur.question_id);
                record_outcome(cur, q, Outcome::Unanswered, now);
            }
            self.finalise(bank, now, fx)?;
        } else if self.kind == SessionKind::Panel
            && matches!(self.phase, Phase::Scoring { .. })
            && self.waiting_for_scores() == 0
        {
            self.finalise(bank, now, fx)?;
        }
        Ok(())
    }
}
