//! A running panel's messages. What everyone in the thread sees never holds
//! an interviewer's score or note before the end; those go to interviewers
//! privately (the Interviewer view and the reply to their scorecard) and
//! to everyone in the summary.

use super::controls::{Control, PanelId};
use crate::bank::{Bank, Question};
use crate::discord::render::{self, pack, Card, Post, AMBER, BLUE, GREEN, GREY};
use crate::discord::text::{self, bullets, relative, truncate};
use crate::interview::{
    dimensions_text, Effect, Feedback, Outcome, Phase, QuestionResult, Scorecard, SessionState,
    Summary, UserId,
};
use crate::store::SessionId;
use poise::serenity_prelude as serenity;
use serenity::{ButtonStyle, CreateActionRow, CreateButton};

/// Follow-up buttons shown in the Interviewer view (one row, beside Score).
const MAX_FOLLOW_UP_BUTTONS: usize = 4;

/// What a panel's messages need beyond the effects.
pub struct PanelView<'a> {
    pub bank: &'a Bank,
    pub session: SessionId,
    /// The state after the effects.
    pub state: &'a SessionState,
}

/// A participant's display name (never a mention: nothing the bot posts pings).
pub fn name(state: &SessionState, user: UserId) -> String {
    state
        .participant(user)
        .map(|p| truncate(&p.name, 64))
        .unwrap_or_else(|| "someone".to_string())
}

fn button(session: SessionId, position: usize, control: Control, label: &str) -> CreateButton {
    CreateButton::new(PanelId::new(session, position, control).encode()).label(label)
}

/// The candidate's row and the interviewers' row under a question.
pub fn question_buttons(
    session: SessionId,
    position: usize,
    hints_used: u32,
) -> Vec<CreateActionRow> {
    let b = |c, label| button(session, position, c, label);
    vec![
        CreateActionRow::Buttons(vec![
            b(Control::Answer, "Answer").style(ButtonStyle::Primary),
            b(Control::Hint(hints_used), "Hint").style(ButtonStyle::Secondary),
            b(Control::Skip, "Skip").style(ButtonStyle::Secondary),
        ]),
        interviewer_row(session, position),
    ]
}

fn interviewer_row(session: SessionId, position: usize) -> CreateActionRow {
    let b = |c, label| button(session, position, c, label);
    CreateActionRow::Buttons(vec![
        b(Control::View, "Interviewer view").style(ButtonStyle::Secondary),
        b(Control::Score, "Score").style(ButtonStyle::Success),
        b(Control::End, "End panel").style(ButtonStyle::Danger),
    ])
}

/// The question as everyone sees it; `hints` are those shown so far.
pub fn question_card(
    bank: &Bank,
    state: &SessionState,
    q: &Question,
    r: &QuestionResult,
    hints: &[String],
) -> Card {
    let who = name(state, r.candidate);
    let mut card = render::question_card(
        bank,
        q,
        r.position + 1,
        state.plan.len(),
        r.deadline,
        hints,
        r.hints_used * state.settings.hint_penalty,
    );
    card.title = truncate(&format!("{} · for {who}", card.title), text::TITLE);
    card.footer(&format!(
        "{who} answers, out loud or with Answer. Interviewers: Interviewer view holds the model answer and follow-ups; Score when ready."
    ))
}

/// The messages for one transition of a panel.
pub fn delivery(view: &PanelView, effects: &[Effect]) -> Vec<Post> {
    let state = view.state;
    let mut cards = Vec::new();
    let mut components = Vec::new();
    for e in effects {
        match e {
            Effect::Ask {
                position,
                question_id,
                ..
            } => {
                let asked = state.results.iter().find(|r| r.position == *position);
                if let (Some(q), Some(r)) = (view.bank.question(question_id), asked) {
                    cards.push(question_card(view.bank, state, q, r, &[]));
                    components = question_buttons(view.session, *position, 0);
                }
            }
            Effect::Remind {
                position,
                candidate,
                deadline,
            } => cards.push(Card::new(
                "",
                &format!(
                    "⏰ {}, question {} closes {}.",
                    name(state, *candidate),
                    position + 1,
                    relative(*deadline)
                ),
                AMBER,
            )),
            Effect::Hint {
                number,
                text,
                penalty,
                ..
            } => cards.push(render::hint_card(*number, text, *penalty)),
            Effect::FollowUp { text, .. } => {
                cards.push(Card::new("↪ Follow-up from the interviewers", text, BLUE))
            }
            Effect::Feedback(f) => {
                cards.push(answer_card(state, f));
                if matches!(state.phase, Phase::Scoring { .. }) {
                    components = vec![interviewer_row(view.session, f.position)];
                }
            }
            Effect::Scored {
                position,
                candidate,
                ..
            } => {
                let scored = state
                    .results
                    .iter()
                    .find(|r| r.position == *position)
                    .map_or(0, |r| r.scorecards.len());
                cards.push(Card::new(
                    "",
                    &format!(
                        "Question {} for {} is closed: {scored} scorecard(s). Scores are revealed at the end.",
                        position + 1,
                        name(state, *candidate)
                    ),
                    GREY,
                ));
            }
            Effect::ParticipantLeft { user } => {
                let who = name(state, *user);
                let text = match state.participant(*user).map(|p| p.role) {
                    Some(crate::interview::Role::Interviewer) => {
                        format!("{who} left the panel; it goes on with the other interviewers.")
                    }
                    _ => format!("{who} left the panel; their remaining questions are dropped."),
                };
                cards.push(Card::new("", &text, GREY));
            }
            Effect::Ended(summary) => {
                cards.extend(summary_cards(view.bank, state, summary));
                components = Vec::new();
            }
            Effect::AnswerSaved { .. } | Effect::ScoreRecorded { .. } => {}
        }
    }
    pack(cards, components)
}

/// The end of a question's answer time, as everyone sees it: the written
/// answer (interviewers score it, or what was said out loud), no coverage.
fn answer_card(state: &SessionState, f: &Feedback) -> Card {
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

fn quote(s: &str) -> String {
    s.lines()
        .map(|l| format!("> {l}"))
        .collect::<Vec<_>>()
        .join("\n")
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

/// What an interviewer holds for the current question (ephemeral).
pub fn interviewer_view(
    bank: &Bank,
    session: SessionId,
    state: &SessionState,
    r: &QuestionResult,
    viewer: UserId,
) -> (Card, Vec<CreateActionRow>) {
    let Some(q) = bank.question(&r.question_id) else {
        let card = Card::new(
            "Interviewer view",
            "This question is no longer in the bank.",
            GREY,
        );
        return (card, Vec::new());
    };
    let closed = r.outcome.is_some();
    let points: Vec<String> = q
        .key_points
        .iter()
        .enumerate()
        .map(|(i, k)| match (closed, r.covered.get(i)) {
            (true, Some(true)) => match r.heard.get(i).filter(|h| !h.is_empty()) {
                Some(h) => format!("✓ {} (written answer: “{h}”)", k.point),
                None => format!("✓ {} (in the written answer)", k.point),
            },
            _ => format!("• {}", k.point),
        })
        .collect();
    let follow_ups: Vec<String> = q
        .follow_ups
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
        .collect();
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
    let mut row: Vec<CreateButton> = (0..q.follow_ups.len().min(MAX_FOLLOW_UP_BUTTONS))
        .map(|i| {
            button(
                session,
                r.position,
                Control::FollowUp(i),
                &format!("Ask follow-up {}", i + 1),
            )
            .style(ButtonStyle::Secondary)
        })
        .collect();
    row.push(button(session, r.position, Control::Score, "Score").style(ButtonStyle::Success));
    (
        card.footer("Only you see this. Follow-ups are asked in the thread for everyone."),
        vec![CreateActionRow::Buttons(row)],
    )
}

fn score_text(score: Option<u32>) -> String {
    score
        .map(|s| format!("{s}/100"))
        .unwrap_or_else(|| "not scored".into())
}

fn outcome(o: Option<Outcome>) -> &'static str {
    match o {
        // Panel answers may be spoken: "no answer" would be wrong.
        Some(Outcome::Unanswered) => "nothing written",
        other => render::outcome(other),
    }
}

/// One card for the panel and one per candidate.
pub fn summary_cards(bank: &Bank, state: &SessionState, s: &Summary) -> Vec<Card> {
    let totals: Vec<String> = s
        .candidates
        .iter()
        .map(|c| {
            let avg = render::average_text(c.average);
            format!(
                "{}: average {avg} · {:.2} points over {} question(s)",
                truncate(&c.name, 64),
                c.points,
                c.questions
            )
        })
        .collect();
    let mut cards = vec![Card::new(
        &format!("Panel summary ({})", s.status.as_str()),
        &format!(
            "Scores are the interviewers' ratings (1-5 on each dimension, mapped to 0-100), revealed now.\n{}\nEvery interviewer note is saved as a follow-up note for its candidate: see /notes.",
            bullets(&totals, "•", 2500)
        ),
        GREEN,
    )];
    for c in &s.candidates {
        let rows: Vec<String> = s
            .rows
            .iter()
            .filter(|r| r.candidate == c.candidate)
            .map(|r| {
                let mut line = format!(
                    "{}. {} · {} · {} · {} · {:.2} pts",
                    r.position + 1,
                    bank.topic_title(&r.topic),
                    r.difficulty.as_str(),
                    outcome(r.outcome),
                    score_text(r.score),
                    r.points
                );
                if let Some(d) = &r.dimensions {
                    line.push_str(&format!("\n  {}", dimensions_text(d)));
                }
                for d in &r.disagreements {
                    line.push_str(&format!(
                        "\n  ⚖ interviewers disagreed on {}: {} to {}",
                        d.dimension, d.low, d.high
                    ));
                }
                line
            })
            .collect();
        let scored: Vec<[f64; 3]> = s
            .rows
            .iter()
            .filter(|r| r.candidate == c.candidate)
            .filter_map(|r| r.dimensions)
            .collect();
        let overall = (!scored.is_empty()).then(|| {
            let n = scored.len() as f64;
            [0, 1, 2].map(|i| scored.iter().map(|d| d[i]).sum::<f64>() / n)
        });
        let avg = render::average_text(c.average);
        let notes: Vec<String> = s
            .notes
            .iter()
            .filter(|n| n.subject == c.candidate && n.author.is_some())
            .map(|n| {
                let by = n.author.map(|a| name(state, a)).unwrap_or_default();
                format!("{by}: {}", n.text)
            })
            .collect();
        let mut card = Card::new(
            &format!("{} · summary", truncate(&c.name, 64)),
            &bullets(&rows, "", 3000),
            BLUE,
        )
        .field(
            "Total",
            &format!(
                "average {avg} · {:.2} points{}",
                c.points,
                overall
                    .map(|d| format!("\n{}", dimensions_text(&d)))
                    .unwrap_or_default()
            ),
        );
        if !notes.is_empty() {
            card = card.field(
                "Interviewer notes (saved to /notes)",
                &bullets(&notes, "•", text::FIELD),
            );
        }
        cards.push(card);
    }
    cards
}
