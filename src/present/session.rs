//! A running session's messages: questions, reminders, hints, feedback and
//! the end, for solo interviews and panels.

use super::action::{Ctl, Target};
use super::card::{pack, Button, Card, Post, Row, Style, AMBER, BLUE, GREEN, GREY};
use super::feedback::{answer_card, feedback_card};
use super::summary::{panel_summary_cards, solo_summary_card};
use super::text::{self, bullets, channel_link, name, relative, truncate};
use crate::bank::{Bank, Question};
use crate::interview::{Effect, Phase, QuestionResult, Role, SessionKind, SessionState, UserId};
use crate::runtime::Delivery;
use crate::store::StoredSession;
use crate::time::Timestamp;

/// What a session's messages need beyond the effects.
pub struct View<'a> {
    pub bank: &'a Bank,
    /// The session after the effects.
    pub session: &'a StoredSession,
    /// Whether typed thread messages count (adds a Submit button to solo questions).
    pub message_content: bool,
}

impl View<'_> {
    fn state(&self) -> &SessionState {
        &self.session.state
    }

    fn panel(&self) -> bool {
        self.state().kind == SessionKind::Panel
    }

    fn asked(&self, position: usize) -> Option<&QuestionResult> {
        self.state().results.iter().find(|r| r.position == position)
    }

    fn button(&self, position: usize, ctl: Ctl, label: &str, style: Style) -> Button {
        Button::new(
            Target::session(self.session.id, position, ctl),
            label,
            style,
        )
    }
}

/// The messages for a transition (a press's, a timer's, a start's).
pub fn transition(bank: &Bank, message_content: bool, d: &Delivery) -> Vec<Post> {
    let view = View {
        bank,
        session: &d.session,
        message_content,
    };
    let mut posts = delivery(&view, &d.effects);
    if let Some(card) = super::resolved_notes(&d.resolved_notes) {
        match posts.first_mut() {
            Some(p) if p.cards.len() < 10 => p.cards.push(card),
            _ => posts.push(Post {
                cards: vec![card],
                components: Vec::new(),
            }),
        }
    }
    posts
}

/// The messages for one transition's effects.
pub fn delivery(view: &View, effects: &[Effect]) -> Vec<Post> {
    let state = view.state();
    let mut cards = Vec::new();
    let mut components = Vec::new();
    for e in effects {
        match e {
            Effect::Ask { position, .. } => {
                if let Some(card) = view.asked(*position).and_then(|r| question_card(view, r)) {
                    cards.push(card);
                    components = question_buttons(view, *position, 0);
                }
            }
            Effect::Remind {
                position,
                candidate,
                deadline,
            } => cards.push(reminder(view, *position, *candidate, *deadline)),
            Effect::Hint {
                number,
                text,
                penalty,
                ..
            } => cards.push(
                Card::new(&format!("💡 Hint {number}"), text, AMBER)
                    .footer(&format!("−{penalty} points on this question so far")),
            ),
            Effect::FollowUp { text, .. } => {
                let title = if view.panel() {
                    "↪ Follow-up from the interviewers"
                } else {
                    "↪ Follow-up"
                };
                cards.push(Card::new(title, text, BLUE));
            }
            Effect::Feedback(f) => {
                let scoring = matches!(state.phase, Phase::Scoring { .. });
                if view.panel() {
                    cards.push(answer_card(state, f));
                    if scoring {
                        components = vec![interviewer_row(view, f.position)];
                    }
                } else {
                    cards.push(feedback_card(f));
                    if scoring && f.rate_until.is_some() {
                        components = rating_buttons(view, f.position);
                    }
                }
            }
            Effect::Scored {
                position,
                candidate,
                score,
                points,
            } => cards.extend(scored(view, *position, *candidate, *score, *points)),
            Effect::ParticipantLeft { user } => cards.push(left(view, *user)),
            Effect::Ended(summary) => {
                if view.panel() {
                    cards.extend(panel_summary_cards(view.bank, state, summary));
                } else {
                    cards.push(solo_summary_card(view.bank, summary));
                }
                components = Vec::new();
            }
            Effect::AiOpinion(o) => cards.push(super::opinion::opinion_card(o)),
            Effect::AiUnavailable(t) => cards.push(super::opinion::unavailable_card(*t)),
            Effect::AnswerSaved { .. } | Effect::ScoreRecorded { .. } => {}
        }
    }
    pack(cards, components)
}

fn reminder(view: &View, position: usize, candidate: UserId, deadline: Timestamp) -> Card {
    let text = if view.panel() {
        format!(
            "⏰ {}, question {} closes {}.",
            name(view.state(), candidate),
            position + 1,
            relative(deadline)
        )
    } else {
        format!("⏰ Question {} closes {}. Press **Answer** now; at the deadline what you have submitted counts.", position + 1, relative(deadline))
    };
    Card::new("", &text, AMBER)
}

/// A closed question: a panel's scores wait for the end; a solo score shows.
fn scored(
    view: &View,
    position: usize,
    candidate: UserId,
    score: Option<u32>,
    points: f64,
) -> Option<Card> {
    if view.panel() {
        let scored = view.asked(position).map_or(0, |r| r.scorecards.len());
        let who = name(view.state(), candidate);
        let text = format!("Question {} for {who} is closed: {scored} scorecard(s). Scores are revealed at the end.", position + 1);
        return Some(Card::new("", &text, GREY));
    }
    let text = format!(
        "Question {} scored **{}/100** · {points:.2} points",
        position + 1,
        score?
    );
    Some(Card::new("", &text, GREEN))
}

fn left(view: &View, user: UserId) -> Card {
    let state = view.state();
    let who = name(state, user);
    let text = match (view.panel(), state.participant(user).map(|p| p.role)) {
        (false, _) => "The candidate left, so the interview ended.".to_string(),
        (true, Some(Role::Interviewer)) => {
            format!("{who} left the panel; it goes on with the other interviewers.")
        }
        (true, _) => format!("{who} left the panel; their remaining questions are dropped."),
    };
    Card::new("", &text, GREY)
}

/// The question embed, with the hints shown so far.
fn question_card(view: &View, r: &QuestionResult) -> Option<Card> {
    let state = view.state();
    let q: &Question = view.bank.question(&r.question_id)?;
    let mut card = Card::new(
        &format!("Question {} of {}", r.position + 1, state.plan.len()),
        &truncate(q.prompt.trim_end(), 3000),
        BLUE,
    )
    .field("Topic", view.bank.topic_title(&q.topic))
    .field("Difficulty", q.difficulty.as_str())
    .field("Time", &format!("closes {}", relative(r.deadline)));
    if r.hints_used > 0 {
        let lines: Vec<String> = q
            .hints
            .iter()
            .take(r.hints_used as usize)
            .enumerate()
            .map(|(i, h)| format!("{}. {}", i + 1, h))
            .collect();
        let penalty = r.hints_used * state.settings.hint_penalty;
        card = card.field(
            &format!("💡 Hints (−{penalty} points so far)"),
            &bullets(&lines, "", text::FIELD),
        );
    }
    Some(if view.panel() {
        let who = name(state, r.candidate);
        card.title = truncate(&format!("{} · for {who}", card.title), text::TITLE);
        card.footer(&format!("{who} answers, out loud or with Answer. Interviewers: Interviewer view holds the model answer and follow-ups; Score when ready."))
    } else {
        card.footer("Answer opens a text box. Each hint costs points; Skip scores 0.")
    })
}

fn question_buttons(view: &View, position: usize, hints_used: u32) -> Vec<Row> {
    let b = |ctl, label, style| view.button(position, ctl, label, style);
    let (grey, blue) = (Style::Secondary, Style::Primary);
    let mut first = vec![
        b(Ctl::Answer, "Answer", blue),
        b(Ctl::Hint(hints_used), "Hint", grey),
        b(Ctl::Skip, "Skip", grey),
    ];
    if view.panel() {
        return vec![first, interviewer_row(view, position)];
    }
    first.push(b(Ctl::Note, "Add note", grey));
    first.push(b(Ctl::End, "End interview", Style::Danger));
    let mut rows = vec![first];
    if view.message_content {
        rows.push(vec![b(Ctl::Submit, "Submit typed answer", Style::Success)]);
    }
    rows
}

fn interviewer_row(view: &View, position: usize) -> Row {
    vec![
        view.button(position, Ctl::View, "Interviewer view", Style::Secondary),
        view.button(position, Ctl::Score, "Score", Style::Success),
        view.button(position, Ctl::End, "End panel", Style::Danger),
    ]
}

fn rating_buttons(view: &View, position: usize) -> Vec<Row> {
    let buttons = (1..=5)
        .map(|r| view.button(position, Ctl::Rate(r), &r.to_string(), Style::Secondary))
        .collect();
    vec![buttons]
}

/// The question card again after a hint, with the hints shown so far and
/// a Hint button that knows how many there are (so a double press shows
/// one).
pub fn hint_update(view: &View) -> Option<(Card, Vec<Row>)> {
    let r = view.state().current()?;
    let card = question_card(view, r)?;
    let components = if matches!(view.state().phase, Phase::Answering { .. }) {
        question_buttons(view, r.position, r.hints_used)
    } else {
        Vec::new()
    };
    Some((card, components))
}

/// Where a running solo interview stands (`/interview status`).
pub fn status(s: &StoredSession) -> Card {
    let state = &s.state;
    let done = state.results.iter().filter(|r| r.finalised).count();
    let points: f64 = state.results.iter().map(|r| r.points).sum();
    let now_doing = match &state.phase {
        Phase::Answering { deadline, .. } => format!(
            "Question {} of {} closes {}.",
            state.results.len(),
            state.plan.len(),
            relative(*deadline)
        ),
        Phase::Scoring { until } => format!(
            "Waiting for your rating of question {}; moves on {}.",
            state.results.len(),
            relative(*until)
        ),
        Phase::Done => "Finishing.".to_string(),
    };
    let mut card = Card::new("Your interview", &now_doing, BLUE)
        .field(
            "Done",
            &format!(
                "{done} of {} questions · {points:.2} points",
                state.plan.len()
            ),
        )
        .field("Started", &relative(state.started_at));
    if let Some(t) = s.thread_id {
        card = card.field("Thread", &channel_link(t));
    }
    card
}

/// Said once in a resumed session's thread after a restart.
pub fn restart_notice(state: &SessionState) -> Card {
    let text = match &state.phase {
        Phase::Answering { deadline, .. } => format!(
            "🔄 The bot was restarted. Nothing was lost: this question still closes {}; the buttons above work again.",
            relative(*deadline)
        ),
        _ => "🔄 The bot was restarted. Nothing was lost; the buttons above work again.".to_string(),
    };
    Card::new("", &text, GREY)
}
