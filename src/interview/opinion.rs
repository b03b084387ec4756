//! A language model's reading of one answer, as the engine keeps it: a
//! second opinion beside the rubric, which stays the floor (see
//! `scoring::combined_coverage` and the README's "Scoring").
//!
//! The engine never talks to a model: the runtime asks one outside the
//! session's lock and hands the checked reply in as `Event::Review`.

use serde::{Deserialize, Serialize};

/// What the model made of one key point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Judgement {
    Covered,
    Partly,
    Missed,
}

impl Judgement {
    /// The share of the key point this judgement is worth.
    pub fn credit(self) -> f64 {
        match self {
            Judgement::Covered => 1.0,
            Judgement::Partly => 0.5,
            Judgement::Missed => 0.0,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Judgement::Covered => "covered",
            Judgement::Partly => "partly",
            Judgement::Missed => "missed",
        }
    }

    pub fn parse(s: &str) -> Option<Judgement> {
        match s {
            "covered" => Some(Judgement::Covered),
            "partly" => Some(Judgement::Partly),
            "missed" => Some(Judgement::Missed),
            _ => None,
        }
    }
}

/// One key point as the model judged it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointOpinion {
    pub judgement: Judgement,
    /// One sentence, in the model's words.
    pub reason: String,
    /// The words of the answer the model relied on (may be empty).
    pub quote: String,
    /// Whether `quote` really is in the answer. A "covered" or "partly"
    /// without it is a claim about words the candidate never wrote, so it
    /// earns nothing.
    pub quoted: bool,
}

impl PointOpinion {
    /// The credit this point may add: its judgement's, when backed by a quote.
    pub fn credit(&self) -> f64 {
        if self.quoted {
            self.judgement.credit()
        } else {
            0.0
        }
    }
}

/// Why an answer gets no model credit beyond the rubric's, whatever the
/// model says: the known failure of model graders is praising non-answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Withheld {
    Empty,
    TooShort,
    OffTopic,
}

impl Withheld {
    pub fn text(self) -> &'static str {
        match self {
            Withheld::Empty => "the answer is empty",
            Withheld::TooShort => "the answer is too short to judge",
            Withheld::OffTopic => "the answer shares no words with the question",
        }
    }
}

/// The model's whole reading of one answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opinion {
    pub model: String,
    /// One per key point, in bank order.
    pub points: Vec<PointOpinion>,
    /// Two or three sentences in the interviewer's voice.
    pub feedback: String,
    /// A follow-up question probing the weakest part of the answer.
    pub follow_up: String,
    /// Set when the guard keeps the model's credit out of the score.
    pub withheld: Option<Withheld>,
    /// Set by the engine: the opinion arrived before the question's score
    /// was fixed, so it counts in it.
    #[serde(default)]
    pub counted: bool,
}

/// Why no opinion came. Told once per session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trouble {
    /// No reply within `ai.timeout_seconds`.
    Timeout,
    /// The endpoint could not be reached.
    Unreachable,
    /// The endpoint answered with this HTTP status (429, 500, ...).
    Status(u16),
    /// The reply did not parse or did not fit the schema.
    Malformed,
    /// The server's daily allowance of model calls is used up.
    DailyCap,
}

impl Trouble {
    pub fn text(self) -> String {
        match self {
            Trouble::Timeout => "the model did not answer in time".into(),
            Trouble::Unreachable => "the model's endpoint could not be reached".into(),
            Trouble::Status(429) => "the model's endpoint is rate limiting (HTTP 429)".into(),
            Trouble::Status(s) => format!("the model's endpoint failed (HTTP {s})"),
            Trouble::Malformed => "the model's reply did not fit the expected form".into(),
            Trouble::DailyCap => "this server's daily allowance of AI feedback is used up".into(),
        }
    }
}

/// What the runtime brings back from asking the model about one answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Review {
    Opinion(Opinion),
    Unavailable(Trouble),
}

/// An opinion as shown: the coverage before and after it.
#[derive(Debug, Clone, PartialEq)]
pub struct OpinionShown {
    pub position: usize,
    pub candidate: super::ids::UserId,
    pub opinion: Opinion,
    /// The key points, in bank order, for the per-point lines.
    pub key_points: Vec<String>,
    pub rubric_coverage: u32,
    /// The coverage the score uses (equal to the rubric's when not counted).
    pub coverage: u32,
}

impl OpinionShown {
    /// What the opinion did to the score, in one sentence (both front ends).
    pub fn effect_line(&self) -> String {
        match (self.opinion.withheld, self.opinion.counted) {
            (Some(w), _) => format!(
                "Not counted: {}, so the rubric's {}% stands.",
                w.text(),
                self.rubric_coverage
            ),
            (None, false) => {
                "It came after this question's score was fixed, so the score stands.".to_string()
            }
            (None, true) => format!(
                "Counted: coverage {}% with the model's reading (the rubric alone: {}%).",
                self.coverage, self.rubric_coverage
            ),
        }
    }
}
