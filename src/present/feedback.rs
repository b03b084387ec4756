//! What a person hears back when a question closes: a solo candidate's
//! feedback on their answer, or a panel's view of the answer given.

use super::card::{Card, AMBER, GREEN, GREY};
use super::text::{self, bullets, name, quote, relative, spoiler, truncate};
use crate::interview::{Feedback, Outcome, Phase, SessionState};

/// A solo candidate's feedback: what was covered (and the words heard),
/// what was missed, the model answer and the follow-ups.
pub fn feedback_card(f: &Feedback) -> Card {
    let (title, colour) = match f.outcome {
        Outcome::Answered => ("Answer received", GREEN),
        Outcome::TimedOut => ("⌛ Time is up: what you submitted counts", AMBER),
        Outcome::Unanswered => ("⌛ Time is up with no answer: 0 points", GREY),
        Outcome::Skipped => ("Skipped: 0 points", GREY),
    };
    let mut description = String::new();
    if f.outcome.has_answer() {
        description = format!(
            "Key points covered: {}/{} ({}%)",
            f.covered.len(),
            f.covered.len() + f.missed.len(),
            f.coverage
        );
    }
    if let Some(until) = f.rate_until {
        description.push_str(&format!(
            "\nRate your answer from 1 (weak) to 5 (strong); the interview moves on by itself {}.",
            relative(until)
        ));
    }
    let covered: Vec<String> = f
        .covered
        .iter()
        .map(|c| format!("{} (heard: “{}”)", c.point, c.heard))
        .collect();
    let follow_ups: Vec<String> = f
        .follow_ups
        .iter()
        .enumerate()
        .map(|(i, q)| format!("{}. {q}", i + 1))
        .collect();
    Card::new(title, &description, colour)
        .field("Covered", &bullets(&covered, "✓", text::FIELD))
        .field("Missed", &bullets(&f.missed, "✗", text::FIELD))
        .field(
            "Model answer (spoiler)",
            &spoiler(&f.model_answer, text::FIELD),
        )
        .field(
            "Follow-up questions",
            &bullets(&follow_ups, "", text::FIELD),
        )
}

/// The end of a panel question's answer time, as everyone sees it: the
/// written answer (interviewers score it, or what was said out loud), no
/// coverage.
pub(super) fn answer_card(state: &SessionState, f: &Feedback) -> Card {
    let who = name(state, f.candidate);
    let (title, colour) = match f.outcome {
        Outcome::Answered => (format!("{who}'s answer is in"), GREEN),
        Outcome::TimedOut => (
            format!("⌛ Time is up: {who}'s written answer stands"),
            AMBER,
        ),
        Outcome::Unanswered => (format!("⌛ Time is up for {who}"), GREY),
        Outcome::Skipped => (format!("{who} skipped this question"), GREY),
    };
    let written = state
        .results
        .iter()
        .find(|r| r.position == f.position)
        .map(|r| r.answer.trim())
        .filter(|a| !a.is_empty());
    let mut description = match written {
        Some(a) => quote(&truncate(a, 1500)),
        None => "Nothing written: interviewers score what was said.".to_string(),
    };
    if let Phase::Scoring { until } = state.phase {
        description.push_str(&format!(
            "\n\nInterviewers: press **Score**. The panel moves on when every interviewer has scored, or {}.",
            relative(until)
        ));
    }
    Card::new(&title, &description, colour)
}
