//! What goes into the engine (events) and what comes out (effects).

use super::types::*;
use crate::time::Timestamp;

/// Who acts on a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// A person, by the store's id (None if the bot has never seen them).
    /// `moderator` is a server authority (Manage Server or the server's
    /// interviewer role), which may end any panel there.
    Person {
        user: Option<UserId>,
        moderator: bool,
    },
    /// The bot itself on an operator's behalf (privacy deletion, tools).
    System,
}

impl Actor {
    pub fn person(user: UserId) -> Actor {
        Actor::Person {
            user: Some(user),
            moderator: false,
        }
    }

    pub fn user(self) -> Option<UserId> {
        match self {
            Actor::Person { user, .. } => user,
            Actor::System => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Text of the answer; may arrive in pieces, which are joined by newlines.
    Answer {
        by: UserId,
        text: String,
    },
    Submit {
        by: UserId,
    },
    /// Adds a last piece of the answer and submits it, as one step, so that
    /// a deadline can never fall between the two.
    SubmitWith {
        by: UserId,
        text: String,
    },
    Hint {
        by: UserId,
    },
    Skip {
        by: UserId,
    },
    /// Ask follow-up `index` of the current question.
    FollowUp {
        by: UserId,
        index: usize,
    },
    /// A solo candidate's 1-5 self rating; None declines to rate.
    Rate {
        by: UserId,
        rating: Option<u8>,
    },
    /// A panel interviewer's scorecard (replaces an earlier one).
    Score {
        card: Scorecard,
    },
    /// Time passed: fire any due reminder, deadline or rating timeout.
    Tick,
    /// End early, by its owner, a moderator of a panel's server, or the system.
    End {
        by: Actor,
    },
    /// The front end went away (Ctrl-C, end of input): keep what was answered.
    Abandon,
    /// A participant left (the server or the thread).
    Leave {
        user: UserId,
    },
    /// The language model's reading of the answer at `position`, or why
    /// there is none. Accepted even after the session ended (shown, not
    /// counted).
    Review {
        position: usize,
        review: super::opinion::Review,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Ask {
        position: usize,
        number: usize,
        total: usize,
        question_id: String,
        candidate: UserId,
        deadline: Timestamp,
    },
    Remind {
        position: usize,
        candidate: UserId,
        deadline: Timestamp,
    },
    Hint {
        position: usize,
        number: usize,
        text: String,
        penalty: u32,
    },
    FollowUp {
        position: usize,
        text: String,
    },
    AnswerSaved {
        position: usize,
        chars: usize,
    },
    Feedback(Feedback),
    /// An interviewer's card was recorded (shown only to interviewers).
    ScoreRecorded {
        position: usize,
        interviewer: UserId,
        waiting_for: usize,
    },
    Scored {
        position: usize,
        candidate: UserId,
        score: Option<u32>,
        points: f64,
    },
    ParticipantLeft {
        user: UserId,
    },
    Ended(Box<super::summary::Summary>),
    /// The model's opinion of an answer arrived (boxed: it is large).
    AiOpinion(Box<super::opinion::OpinionShown>),
    /// AI feedback is unavailable; the session goes on with the rubric
    /// alone. Comes at most once per session.
    AiUnavailable(super::opinion::Trouble),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Feedback {
    pub position: usize,
    pub question_id: String,
    pub candidate: UserId,
    pub outcome: Outcome,
    pub coverage: u32,
    pub covered: Vec<CoveredPoint>,
    pub missed: Vec<String>,
    pub model_answer: String,
    pub follow_ups: Vec<String>,
    /// When ratings are wanted, until when.
    pub rate_until: Option<Timestamp>,
}

/// A key point the answer covered, and the words of the answer that did it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoveredPoint {
    pub point: String,
    pub heard: String,
}
