//! The engine's vocabulary: session state, events in, effects out.

use crate::bank::Difficulty;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

pub use super::ids::UserId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Candidate,
    Interviewer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Candidate => "candidate",
            Role::Interviewer => "interviewer",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionKind {
    Solo,
    Panel,
}

impl SessionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Solo => "solo",
            SessionKind::Panel => "panel",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Running,
    Finished,
    Abandoned,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::Finished => "finished",
            Status::Abandoned => "abandoned",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub user: UserId,
    pub name: String,
    pub role: Role,
    #[serde(default)]
    pub left: bool,
}

/// One planned question and who answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedQuestion {
    pub question_id: String,
    pub candidate: UserId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Submitted before the deadline.
    Answered,
    /// The deadline passed with text typed; that text was submitted.
    TimedOut,
    Skipped,
    /// The deadline (or the end) came with nothing typed.
    Unanswered,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Answered => "answered",
            Outcome::TimedOut => "timed_out",
            Outcome::Skipped => "skipped",
            Outcome::Unanswered => "unanswered",
        }
    }

    /// Whether there is an answer to judge (and so to rate).
    pub fn has_answer(self) -> bool {
        matches!(self, Outcome::Answered | Outcome::TimedOut)
    }
}

/// An interviewer's 1-5 ratings of one answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scorecard {
    pub interviewer: UserId,
    pub technical: u8,
    pub communication: u8,
    pub problem_solving: u8,
    pub note: Option<String>,
}

/// Everything that happened to one asked question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionResult {
    /// Index into the plan.
    pub position: usize,
    pub question_id: String,
    pub topic: String,
    pub difficulty: Difficulty,
    pub candidate: UserId,
    pub asked_at: Timestamp,
    pub deadline: Timestamp,
    pub answer: String,
    pub hints_used: u32,
    pub follow_ups_asked: Vec<usize>,
    pub outcome: Option<Outcome>,
    pub answered_at: Option<Timestamp>,
    /// Which key points the answer covered, in bank order.
    pub covered: Vec<bool>,
    /// For each key point, the words of the answer that covered it (empty
    /// where it was missed). Absent in sessions stored before it existed.
    #[serde(default)]
    pub heard: Vec<String>,
    pub self_rating: Option<u8>,
    pub scorecards: Vec<Scorecard>,
    /// 0-100 once final; None while open, or for a panel answer nobody scored.
    pub score: Option<u32>,
    pub points: f64,
    pub finalised: bool,
    /// The language model's reading of the answer, when one was asked for
    /// and came back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ai: Option<super::opinion::Opinion>,
}

impl QuestionResult {
    /// The coverage the score uses: the rubric's, or the rubric's combined
    /// with the model's opinion when that counted.
    pub fn coverage_percent(&self) -> u32 {
        match self.ai.as_ref().filter(|o| o.counted) {
            Some(o) => super::scoring::combined_coverage(&self.covered, o),
            None => super::scoring::coverage_percent(&self.covered),
        }
    }
}

/// Session-wide knobs, fixed when the session starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// The session's per-question minutes (used when a question sets none).
    pub minutes: Option<f64>,
    /// Overrides every question's time (quick drills, scripts and tests).
    pub seconds_override: Option<f64>,
    /// How long a solo candidate has to rate themselves, and panel
    /// interviewers to score after the deadline.
    pub rating_window_secs: u64,
    pub hint_penalty: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            minutes: None,
            seconds_override: None,
            rating_window_secs: 120,
            hint_penalty: 10,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum Phase {
    Answering {
        deadline: Timestamp,
        remind_at: Timestamp,
        reminded: bool,
    },
    /// The answer is in (or the deadline passed); waiting for ratings.
    Scoring {
        until: Timestamp,
    },
    Done,
}

/// The whole state of a session; the store keeps it as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionState {
    pub kind: SessionKind,
    pub status: Status,
    pub owner: UserId,
    pub participants: Vec<Participant>,
    pub plan: Vec<PlannedQuestion>,
    pub results: Vec<QuestionResult>,
    pub phase: Phase,
    pub settings: Settings,
    pub started_at: Timestamp,
    pub ended_at: Option<Timestamp>,
    /// The session already said that AI feedback is unavailable (it says so once).
    #[serde(default)]
    pub ai_notice_given: bool,
}

/// Note the engine wants saved when the session ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteDraft {
    pub subject: UserId,
    pub author: Option<UserId>,
    pub question_id: String,
    /// The key point (index in bank order) a "Review" note is about: a
    /// later answer that covers it resolves the note. None for others.
    pub key_point: Option<usize>,
    pub text: String,
}

/// Why an event was refused. The texts are safe to show to the person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error("this interview has ended")]
    Ended,
    #[error("you are not in this panel, so nothing was changed: only its candidates answer and only its interviewers score. Join the next one from its lobby")]
    NotAParticipant,
    #[error(
        "that button is not yours: it belongs to someone else's interview, and nothing was changed"
    )]
    NotYours,
    #[error("it is {0}'s turn, so nothing was changed; your own questions come in turn")]
    TurnOf(String),
    #[error("interviewers don't answer, so nothing was changed: {0} answers this one. Use Interviewer view and Score")]
    InterviewersDoNotAnswer(String),
    #[error("candidates don't score or see the interviewer view, so nothing was changed. The interviewers' scores and notes are shown to you at the end")]
    CandidatesDoNotScore,
    #[error("only the person who created this panel, someone with the server's interviewer role or someone with Manage Server can end it")]
    MayNotEnd,
    #[error("that hint is already shown above")]
    HintAlreadyShown,
    #[error("follow-up {0} was already asked in the thread")]
    FollowUpAlreadyAsked(usize),
    #[error("that answer is already rated, or its rating time is over")]
    RatingClosed,
    #[error("it is another candidate's turn")]
    NotYourTurn,
    #[error("only candidates can do that; interviewers score answers")]
    CandidatesOnly,
    #[error("only interviewers can score answers")]
    InterviewersOnly,
    #[error("only the person who started this interview can end it")]
    NotOwner,
    #[error("the answer time for this question is over")]
    NotAnswering,
    #[error("there is nothing to rate right now")]
    NothingToRate,
    #[error("no more hints for this question")]
    NoMoreHints,
    #[error("this question has no follow-up number {0}")]
    NoSuchFollowUp(usize),
    #[error("ratings go from 1 to 5")]
    BadRating,
    #[error("write an answer first, or skip the question")]
    EmptyAnswer,
    #[error("this question is no longer in the bank")]
    QuestionMissing,
    #[error("that question is already closed; the current one is below")]
    StaleQuestion,
}

/// What became of a question, in a word or two.
pub fn outcome_text(o: Option<Outcome>) -> &'static str {
    match o {
        Some(Outcome::Answered) => "answered",
        Some(Outcome::TimedOut) => "timed out",
        Some(Outcome::Skipped) => "skipped",
        Some(Outcome::Unanswered) => "no answer",
        None => "open",
    }
}
