//! The forms the bot asks people to fill in (a Discord modal): an answer,
//! a note, a scorecard. Each input's id is what the submitted value is
//! read back by.

use super::action::{Ctl, Target};
use crate::interview::{SessionState, UserId};
use crate::store::SessionId;

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub target: Target,
    pub title: String,
    pub inputs: Vec<Input>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    pub id: &'static str,
    pub label: &'static str,
    /// A paragraph box rather than one line.
    pub long: bool,
    pub placeholder: &'static str,
    pub max_chars: u16,
    pub required: bool,
    /// Filled in beforehand (an interviewer's earlier card).
    pub value: Option<String>,
}

impl Input {
    fn paragraph(
        id: &'static str,
        label: &'static str,
        placeholder: &'static str,
        max: u16,
    ) -> Input {
        Input {
            id,
            label,
            long: true,
            placeholder,
            max_chars: max,
            required: true,
            value: None,
        }
    }
}

/// The box an answer is written in (solo and panel).
pub fn answer(session: SessionId, position: usize) -> Form {
    Form {
        target: Target::session(session, position, Ctl::AnswerModal),
        title: format!("Answer question {}", position + 1),
        inputs: vec![Input::paragraph(
            "answer",
            "Your answer",
            "Explain as you would out loud: what, why, trade-offs, an example.",
            4000,
        )],
    }
}

pub fn note(session: SessionId, position: usize) -> Form {
    Form {
        target: Target::session(session, position, Ctl::NoteModal),
        title: "Add a note".into(),
        inputs: vec![Input::paragraph(
            "note",
            "Note",
            "Something to revisit later, e.g. \"read about the GIL and asyncio\".",
            1000,
        )],
    }
}

/// The scorecard's input ids, in the order `Scorecard::parse` takes them.
pub const SCORE_INPUTS: [&str; 4] = ["technical", "communication", "problem_solving", "note"];

const RATING_LABELS: [&str; 3] = [
    "Technical accuracy (1-5)",
    "Communication (1-5)",
    "Problem solving (1-5)",
];

/// Three 1-5 ratings and an optional note, filled in with the interviewer's
/// earlier card when they score again.
pub fn score(state: &SessionState, session: SessionId, position: usize, me: UserId) -> Form {
    let earlier = state
        .results
        .iter()
        .find(|r| r.position == position)
        .and_then(|r| r.scorecards.iter().find(|c| c.interviewer == me))
        .cloned();
    let earlier_ratings = earlier
        .as_ref()
        .map(|c| [c.technical, c.communication, c.problem_solving]);
    let mut inputs: Vec<Input> = RATING_LABELS
        .iter()
        .enumerate()
        .map(|(i, label)| Input {
            long: false,
            value: earlier_ratings.map(|r| r[i].to_string()),
            ..Input::paragraph(SCORE_INPUTS[i], label, "1 = weak, 5 = strong", 1)
        })
        .collect();
    inputs.push(Input {
        required: false,
        value: earlier.and_then(|c| c.note),
        ..Input::paragraph(
            SCORE_INPUTS[3],
            "Note for the candidate (optional)",
            "Shown to the candidate at the end and saved to their /notes.",
            1000,
        )
    });
    Form {
        target: Target::session(session, position, Ctl::ScoreModal),
        title: format!("Score question {}", position + 1),
        inputs,
    }
}
