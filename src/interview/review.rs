//! `Event::Review`: the model's opinion of an answer joins the session.
//!
//! It counts in the question's score only while that score is still open
//! (before the rating, or the end of the rating window); one that comes
//! later is kept and shown as an opinion, and the score stays as it was
//! fixed, so a score already posted never changes under anyone.

use super::effects::*;
use super::opinion::{OpinionShown, Review};
use super::types::*;
use crate::bank::Bank;

impl SessionState {
    pub(super) fn review(
        &mut self,
        bank: &Bank,
        position: usize,
        review: Review,
        fx: &mut Vec<Effect>,
    ) {
        match review {
            Review::Unavailable(trouble) => {
                if !self.ai_notice_given {
                    self.ai_notice_given = true;
                    fx.push(Effect::AiUnavailable(trouble));
                }
            }
            Review::Opinion(mut opinion) => {
                let Some(r) = self.results.iter_mut().find(|r| r.position == position) else {
                    return; // forgotten meanwhile (/privacy delete)
                };
                let has_answer = r.outcome.is_some_and(Outcome::has_answer);
                if r.ai.is_some() || !has_answer {
                    return; // one opinion per answer
                }
                opinion.counted = !r.finalised && opinion.points.len() == r.covered.len();
                let rubric_coverage = super::scoring::coverage_percent(&r.covered);
                r.ai = Some(opinion.clone());
                let key_points = bank
                    .question(&r.question_id)
                    .map(|q| q.key_points.iter().map(|k| k.point.clone()).collect())
                    .unwrap_or_default();
                fx.push(Effect::AiOpinion(Box::new(OpinionShown {
                    position,
                    candidate: r.candidate,
                    opinion,
                    key_points,
                    rubric_coverage,
                    coverage: r.coverage_percent(),
                })));
            }
        }
    }
}
