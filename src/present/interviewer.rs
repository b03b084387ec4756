//! What a panel interviewer sees privately: the key points to listen for,
//! the model answer, follow-ups to ask, and the scorecards so far.

use super::action::{Ctl, Target};
use super::card::{Button, Card, Row, Style, BLUE, GREEN, GREY};
use super::text::{self, bullets, name, quote, truncate};
use crate::bank::{Bank, Question};
use crate::interview::{QuestionResult, Scorecard, SessionState, UserId};
use crate::store::SessionId;

/// Follow-up buttons shown in the Interviewer view (one row, beside Score).
const MAX_FOLLOW_UP_BUTTONS: usize = 4;

fn button(session: SessionId, position: usize, ctl: Ctl, label: &str, style: Style) -> Button {
    Button::new(Target::session(session, position, ctl), label, style)
}

/// `T4 C3 P5`, in the order of the dimensions.
pub fn ratings(c: &Scorecard) -> String {
    format!(
        "technical {} · communication {} · problem solving {}",
        c.technical, c.communication, c.problem_solving
    )
}

fn card_line(state: &SessionState, c: &Scorecard) -> String {
    let note = c
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| format!(" · “{}”", truncate(n, 200)))
        .unwrap_or_default();
    format!("{}: {}{note}", name(state, c.interviewer), ratings(c))
}

/// The other interviewers' cards on `r`, shown to `viewer` only once they
/// have scored it themselves.
pub fn others_cards(state: &SessionState, r: &QuestionResult, viewer: UserId) -> Option<String> {
    if !r.scorecards.iter().any(|c| c.interviewer == viewer) {
        return None;
    }
    let lines: Vec<String> = r
        .scorecards
        .iter()
        .filter(|c| c.interviewer != viewer)
        .map(|c| card_line(state, c))
        .collect();
    Some(if lines.is_empty() {
        "Nobody else has scored yet.".to_string()
    } else {
        bullets(&lines, "•", text::FIELD)
    })
}

/// The key points to listen for; once the question is closed, those the
/// written answer covered are ticked with the words heard.
fn key_point_lines(q: &Question, r: &QuestionResult) -> Vec<String> {
    let closed = r.outcome.is_some();
    q.key_points
        .iter()
        .enumerate()
        .map(|(i, k)| match (closed, r.covered.get(i)) {
            (true, Some(true)) => match r.heard.get(i).filter(|h| !h.is_empty()) {
                Some(h) => format!("✓ {} (written answer: “{h}”)", k.point),
                None => format!("✓ {} (in the written answer)", k.point),
            },
            _ => format!("• {}", k.point),
        })
        .collect()
}

/// The follow-ups to ask, marking those already asked.
fn follow_up_lines(q: &Question, r: &QuestionResult) -> Vec<String> {
    q.follow_ups
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let asked = if r.follow_ups_asked.contains(&i) {
                " (asked)"
            } else {
                ""
            };
            format!("{}. {f}{asked}", i + 1)
        })
        .collect()
}

/// What an interviewer holds for the current question (ephemeral).
pub fn interviewer_view(
    bank: &Bank,
    session: SessionId,
    state: &SessionState,
    r: &QuestionResult,
    viewer: UserId,
) -> (Card, Vec<Row>) {
    let Some(q) = bank.question(&r.question_id) else {
        let card = Card::new(
            "Interviewer view",
            "This question is no longer in the bank.",
            GREY,
        );
        return (card, Vec::new());
    };
    let (points, follow_ups) = (key_point_lines(q, r), follow_up_lines(q, r));
    let mut card = Card::new(
        &format!(
            "Interviewer view · question {} for {}",
            r.position + 1,
            name(state, r.candidate)
        ),
        &truncate(q.prompt.trim_end(), 1500),
        BLUE,
    )
    .field(
        "Key points to listen for",
        &bullets(&points, "", text::FIELD),
    )
    .field(
        "Model answer",
        &truncate(q.model_answer.trim(), text::FIELD),
    )
    .field(
        "Follow-up questions",
        &bullets(&follow_ups, "", text::FIELD),
    );
    if !r.answer.trim().is_empty() {
        card = card.field("Written answer", &quote(&truncate(r.answer.trim(), 900)));
    }
    match r.scorecards.iter().find(|c| c.interviewer == viewer) {
        Some(mine) => {
            card = card.field("Your scorecard", &card_line(state, mine));
            if let Some(others) = others_cards(state, r, viewer) {
                card = card.field("Other interviewers", &others);
            }
        }
        None => {
            card = card.field(
                "Your scorecard",
                "Not yet: press Score. Other interviewers' scores show here once you have scored.",
            )
        }
    }
    let mut row: Row = (0..q.follow_ups.len().min(MAX_FOLLOW_UP_BUTTONS))
        .map(|i| {
            let label = format!("Ask follow-up {}", i + 1);
            button(
                session,
                r.position,
                Ctl::FollowUp(i),
                &label,
                Style::Secondary,
            )
        })
        .collect();
    row.push(button(
        session,
        r.position,
        Ctl::Score,
        "Score",
        Style::Success,
    ));
    (
        card.footer("Only you see this. Follow-ups are asked in the thread for everyone."),
        vec![row],
    )
}

/// An interviewer's own confirmation of a saved scorecard, with the other
/// cards (now that they have scored) and how many the panel still waits for.
pub fn scorecard_saved(
    state: &SessionState,
    position: usize,
    card: &Scorecard,
    waiting: Option<usize>,
) -> Card {
    let mut saved = Card::new(
        &format!("Your scorecard for question {} is saved", position + 1),
        &ratings(card),
        GREEN,
    );
    if let Some(note) = &card.note {
        saved = saved.field("Your note", note);
    }
    let asked = state.results.iter().find(|r| r.position == position);
    if let Some(others) = asked.and_then(|r| others_cards(state, r, card.interviewer)) {
        saved = saved.field("Other interviewers", &others);
    }
    saved.footer(&match waiting {
        Some(n) if n > 0 => format!(
            "Waiting for {n} more interviewer(s). You may score again to change your card until the question closes."
        ),
        _ => "Every interviewer has scored: the panel moves on.".to_string(),
    })
}
