//! Asking the AI reviewer about an answer, outside the session's lock.
//!
//! The rubric's feedback is stored and shown first, as always. Then, with
//! no lock and no transaction held, the reviewer asks the model (or its
//! cache); what comes back is applied as one more stored transition
//! (`Event::Review`), whose effects go out like a timer's.

use super::{Delivery, Inner, Runtime, RuntimeError, Step};
use crate::ai::{Ask, Reviewer};
use crate::interview::{Effect, Event, SessionKind};
use crate::store::SessionId;
use std::sync::Arc;

impl Runtime {
    /// Every written solo answer from now on is reviewed by `reviewer` in
    /// the background, and its opinion delivered with the timer deliveries
    /// (the bot). The terminal calls [`Runtime::review_with`] itself instead.
    pub fn set_reviewer(&self, reviewer: Arc<Reviewer>) {
        match self.inner.reviewer.write() {
            Ok(mut r) => *r = Some(reviewer),
            Err(p) => *p.into_inner() = Some(reviewer),
        }
    }

    /// Gives the runtime the reviewer `ai.*` describes, if any. A client that
    /// cannot be built leaves the bot running on the rubric alone.
    pub fn use_reviewer_from(&self, settings: &crate::ai::AiConfig, store: crate::store::Store) {
        match Reviewer::from_config(settings, store) {
            Ok(Some(r)) => {
                tracing::info!(endpoint = %r.host(), model = %r.model(), "AI feedback available");
                self.set_reviewer(std::sync::Arc::new(r));
            }
            Ok(None) => {}
            Err(e) => {
                tracing::error!(error = %e, "AI feedback is off: its client could not be built")
            }
        }
    }

    pub fn reviewer(&self) -> Option<Arc<Reviewer>> {
        self.inner.reviewer()
    }

    /// Asks `reviewer` about the answer at `position` and stores what came
    /// back. None when AI feedback does not apply or changed nothing.
    pub async fn review_with(
        &self,
        reviewer: &Reviewer,
        id: SessionId,
        position: usize,
    ) -> Result<Option<Delivery>, RuntimeError> {
        self.inner.review_with(reviewer, id, position).await
    }
}

impl Inner {
    pub(super) fn reviewer(&self) -> Option<Arc<Reviewer>> {
        self.reviewer
            .read()
            .map(|r| r.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    /// Starts a review for each written solo answer this transition closed.
    pub(super) fn spawn_reviews(&self, d: &Delivery) {
        let Some(reviewer) = self.reviewer() else {
            return;
        };
        if d.session.state.kind != SessionKind::Solo {
            return;
        }
        for e in &d.effects {
            let Effect::Feedback(f) = e else { continue };
            let Some(inner) = self.this.upgrade() else {
                return;
            };
            if !f.outcome.has_answer() {
                continue;
            }
            let (id, position) = (d.session.id, f.position);
            let reviewer = Arc::clone(&reviewer);
            tokio::spawn(async move {
                match inner.review_with(&reviewer, id, position).await {
                    // An interview that ended meanwhile keeps the opinion
                    // but posts nothing: its thread is archived.
                    Ok(Some(d)) if d.session.state.is_running() => {
                        let _ = inner.deliveries.send(d);
                    }
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!(session_id = id, error = %e, "could not store an AI opinion")
                    }
                }
            });
        }
    }

    async fn review_with(
        &self,
        reviewer: &Reviewer,
        id: SessionId,
        position: usize,
    ) -> Result<Option<Delivery>, RuntimeError> {
        let stored = self
            .store
            .load_session(id)
            .await?
            .ok_or(RuntimeError::NoSuchSession(id))?;
        let Some(r) = stored.state.results.iter().find(|r| r.position == position) else {
            return Ok(None);
        };
        let bank = self.bank_for_session(stored.guild_id, &stored.state);
        let Some(question) = bank.question(&r.question_id) else {
            return Ok(None);
        };
        let ask = Ask {
            guild: stored.guild_id,
            user: r.candidate,
            question,
            answer: &r.answer,
            now: self.clock.now(),
        };
        let Some(review) = reviewer.review(ask).await else {
            return Ok(None);
        };
        let event = Event::Review { position, review };
        let d = self.transition(id, Step::Event(event), None).await?;
        Ok((!d.effects.is_empty()).then_some(d))
    }
}
