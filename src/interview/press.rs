//! What a person may do in a session, decided once for every front end.
//!
//! A front end works out who pressed (an [`Actor`]) and what they pressed
//! (a [`Press`]: the control and the question it was drawn for); the
//! runtime asks [`SessionState::check`] under the session's lock, the same
//! lock timers take, so a refusal always describes the state the press
//! would have changed. The texts are safe to show and say what to do.

use super::effects::*;
use super::types::*;
use crate::time::Timestamp;

/// A control a person used, as the front end drew it.
#[derive(Debug, Clone, PartialEq)]
pub enum Control {
    /// Wants the answer box (changes nothing; checked before it opens).
    OpenAnswer,
    /// Wants to write a note on the session (its candidates and interviewers).
    OpenNote,
    /// The written answer: added and submitted in one step.
    Answer(String),
    /// A piece of the answer typed in the thread at `sent_at`.
    Typed {
        text: String,
        sent_at: Timestamp,
    },
    /// Submits what was typed.
    Submit,
    /// The next hint; `shown` is how many were shown when it was drawn, so a
    /// second quick press of the same button shows nothing more.
    Hint {
        shown: u32,
    },
    Skip,
    /// A solo candidate's 1-5 self rating.
    Rate(u8),
    /// A panel interviewer wants the scorecard box or their private view.
    OpenScore,
    View,
    /// A panel interviewer's scorecard.
    Score(Scorecard),
    /// Ask follow-up `n` (0-based) of the question in the thread.
    FollowUp(usize),
    End,
}

impl Control {
    /// Controls that only look: they are checked but change nothing.
    pub fn looks_only(&self) -> bool {
        matches!(
            self,
            Control::OpenAnswer | Control::OpenNote | Control::OpenScore | Control::View
        )
    }
}

/// A control and the question position it was drawn for (None for controls
/// that are not about one question, like `/interview end`).
#[derive(Debug, Clone, PartialEq)]
pub struct Press {
    pub position: Option<usize>,
    pub control: Control,
}

impl Press {
    pub fn at(position: usize, control: Control) -> Press {
        Press {
            position: Some(position),
            control,
        }
    }
}

impl SessionState {
    /// Whether `actor` may use `press` now; the refusal says why and what to
    /// do instead. Nothing is changed either way.
    pub fn check(&self, actor: Actor, press: &Press) -> Result<(), EngineError> {
        if !self.is_running() {
            return Err(EngineError::Ended);
        }
        match &press.control {
            Control::End if self.kind == SessionKind::Solo && self.seat(actor).is_none() => {
                Err(self.outsider())
            }
            Control::End => self.may_end(actor),
            Control::OpenNote => self.seat(actor).map(|_| ()).ok_or(self.outsider()),
            Control::Rate(_) => {
                let by = self.the_candidate(actor)?;
                let open = self.at_position(press)
                    && matches!(self.phase, Phase::Scoring { .. })
                    && self
                        .current()
                        .is_some_and(|c| c.candidate == by && c.self_rating.is_none());
                open.then_some(()).ok_or(EngineError::RatingClosed)
            }
            Control::OpenScore | Control::View | Control::Score(_) | Control::FollowUp(_) => {
                self.an_interviewer(actor)?;
                if !self.at_position(press) {
                    return Err(EngineError::StaleQuestion);
                }
                match &press.control {
                    Control::FollowUp(i) if self.asked_follow_up(*i) => {
                        Err(EngineError::FollowUpAlreadyAsked(i + 1))
                    }
                    _ => Ok(()),
                }
            }
            answering => {
                self.the_candidate(actor)?;
                if !self.at_position(press) || !matches!(self.phase, Phase::Answering { .. }) {
                    return Err(EngineError::StaleQuestion);
                }
                let current = self.current();
                match answering {
                    Control::Typed { sent_at, .. }
                        if current.is_some_and(|c| c.asked_at > *sent_at) =>
                    {
                        Err(EngineError::StaleQuestion)
                    }
                    Control::Hint { shown } if current.map(|c| c.hints_used) != Some(*shown) => {
                        Err(EngineError::HintAlreadyShown)
                    }
                    Control::Answer(text) if text.trim().is_empty() => {
                        Err(EngineError::EmptyAnswer)
                    }
                    _ => Ok(()),
                }
            }
        }
    }

    /// The engine event an allowed press becomes (None for looks).
    pub fn event_for(&self, actor: Actor, control: Control) -> Option<Event> {
        let by = actor.user();
        Some(match control {
            look if look.looks_only() => return None,
            Control::End => Event::End { by: actor },
            Control::Score(card) => Event::Score { card },
            other => {
                let by = by?;
                match other {
                    Control::Answer(text) => Event::SubmitWith { by, text },
                    Control::Typed { text, .. } => Event::Answer { by, text },
                    Control::Submit => Event::Submit { by },
                    Control::Hint { .. } => Event::Hint { by },
                    Control::Skip => Event::Skip { by },
                    Control::Rate(r) => Event::Rate {
                        by,
                        rating: Some(r),
                    },
                    Control::FollowUp(index) => Event::FollowUp { by, index },
                    _ => return None,
                }
            }
        })
    }

    /// Who may end: its owner, a moderator of a panel's server, the system.
    pub(super) fn may_end(&self, actor: Actor) -> Result<(), EngineError> {
        match actor {
            Actor::System => Ok(()),
            Actor::Person { user, .. } if user == Some(self.owner) => Ok(()),
            Actor::Person {
                moderator: true, ..
            } if self.kind == SessionKind::Panel => Ok(()),
            Actor::Person { .. } if self.kind == SessionKind::Panel => Err(EngineError::MayNotEnd),
            Actor::Person { .. } => Err(EngineError::NotOwner),
        }
    }

    fn at_position(&self, press: &Press) -> bool {
        let current = self.current().map(|c| c.position);
        press.position.is_none() || current == press.position
    }

    fn asked_follow_up(&self, index: usize) -> bool {
        self.current()
            .is_some_and(|c| c.follow_ups_asked.contains(&index))
    }

    fn seat(&self, actor: Actor) -> Option<&Participant> {
        let user = actor.user()?;
        self.participant(user).filter(|p| !p.left)
    }

    fn whose_turn(&self) -> String {
        self.current()
            .and_then(|c| self.participant(c.candidate))
            .map(|p| p.name.chars().take(64).collect())
            .unwrap_or_else(|| "another candidate".into())
    }

    /// `actor` as the candidate whose question is current.
    fn the_candidate(&self, actor: Actor) -> Result<UserId, EngineError> {
        let Some(p) = self.seat(actor) else {
            return Err(self.outsider());
        };
        if p.role == Role::Interviewer {
            return Err(EngineError::InterviewersDoNotAnswer(self.whose_turn()));
        }
        match self.current() {
            Some(c) if c.candidate == p.user => Ok(p.user),
            Some(_) => Err(EngineError::TurnOf(self.whose_turn())),
            None => Err(EngineError::StaleQuestion),
        }
    }

    fn an_interviewer(&self, actor: Actor) -> Result<UserId, EngineError> {
        match self.seat(actor) {
            Some(p) if p.role == Role::Interviewer && self.kind == SessionKind::Panel => Ok(p.user),
            Some(_) if self.kind == SessionKind::Panel => Err(EngineError::CandidatesDoNotScore),
            _ => Err(self.outsider()),
        }
    }

    /// The refusal for someone who is not in the session.
    fn outsider(&self) -> EngineError {
        match self.kind {
            SessionKind::Solo => EngineError::NotYours,
            SessionKind::Panel => EngineError::NotAParticipant,
        }
    }
}
