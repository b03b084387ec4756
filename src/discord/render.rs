//! Engine effects as Discord embeds and buttons (the terminal's `render.rs`
//! for Discord). Every text is cut to Discord's limits here, so a long bank
//! entry can never make Discord refuse a message.

use super::custom_id::{Action, InterviewId};
use super::text::{self, bullets, relative, spoiler, truncate};
use crate::bank::{Bank, Question};
use crate::interview::{Effect, Feedback, Outcome, Phase, Summary};
use crate::store::SessionId;
use crate::time::Timestamp;
use poise::serenity_prelude as serenity;
use serenity::{ButtonStyle, CreateActionRow, CreateButton, CreateEmbed, CreateEmbedFooter};

pub const BLUE: u32 = 0x3B82F6;
pub const GREEN: u32 = 0x22C55E;
pub const AMBER: u32 = 0xF59E0B;
pub const GREY: u32 = 0x6B7280;

/// One embed, kept as plain data so its size can be counted and tested.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Card {
    pub title: String,
    pub description: String,
    pub fields: Vec<(String, String)>,
    pub footer: String,
    pub colour: u32,
}

impl Card {
    pub fn new(title: &str, description: &str, colour: u32) -> Card {
        Card {
            title: truncate(title, text::TITLE),
            description: truncate(description, text::DESCRIPTION),
            fields: Vec::new(),
            footer: String::new(),
            colour,
        }
    }

    /// Adds a field (at most 25; empty values are left out).
    pub fn field(mut self, name: &str, value: &str) -> Card {
        if !value.trim().is_empty() && self.fields.len() < 25 {
            self.fields
                .push((truncate(name, text::TITLE), truncate(value, text::FIELD)));
        }
        self
    }

    pub fn footer(mut self, footer: &str) -> Card {
        self.footer = truncate(footer, 2048);
        self
    }

    /// Characters counted against the 6,000 per message.
    pub fn chars(&self) -> usize {
        let n = |s: &String| s.chars().count();
        n(&self.title)
            + n(&self.description)
            + n(&self.footer)
            + self.fields.iter().map(|(a, b)| n(a) + n(b)).sum::<usize>()
    }

    pub fn embed(&self) -> CreateEmbed {
        let mut e = CreateEmbed::new().colour(self.colour);
        if !self.title.is_empty() {
            e = e.title(&self.title);
        }
        if !self.description.is_empty() {
            e = e.description(&self.description);
        }
        for (name, value) in &self.fields {
            e = e.field(name, value, false);
        }
        if !self.footer.is_empty() {
            e = e.footer(CreateEmbedFooter::new(&self.footer));
        }
        e
    }
}

/// One message's worth: embeds and the buttons under them.
#[derive(Debug, Clone, Default)]
pub struct Post {
    pub cards: Vec<Card>,
    pub components: Vec<CreateActionRow>,
}

impl Post {
    pub fn embeds(&self) -> Vec<CreateEmbed> {
        self.cards.iter().map(Card::embed).collect()
    }

    pub fn text(&self) -> String {
        self.cards
            .iter()
            .map(|c| format!("{}\n{}", c.title, c.description))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Cards packed into as few messages as Discord allows (10 embeds and 6,000
/// characters a message); the buttons go under the last one.
pub fn pack(cards: Vec<Card>, components: Vec<CreateActionRow>) -> Vec<Post> {
    let mut posts: Vec<Post> = Vec::new();
    let mut size = 0;
    for card in cards {
        let n = card.chars();
        match posts.last_mut() {
            Some(p) if p.cards.len() < 10 && size + n <= text::MESSAGE_EMBEDS - 100 => {
                size += n;
                p.cards.push(card);
            }
            _ => {
                size = n;
                posts.push(Post {
                    cards: vec![card],
                    components: Vec::new(),
                });
            }
        }
    }
    if let Some(last) = posts.last_mut() {
        last.components = components;
    }
    posts
}

/// What a session's messages need to know beyond the effects.
pub struct View<'a> {
    pub bank: &'a Bank,
    pub session: SessionId,
    /// Discord id of the candidate (owner of the buttons).
    pub owner: u64,
    /// Whether typed thread messages count (adds a Submit button).
    pub message_content: bool,
    /// The session's phase after the effects.
    pub phase: &'a Phase,
}

/// The messages for one transition.
pub fn delivery(view: &View, effects: &[Effect]) -> Vec<Post> {
    let mut cards = Vec::new();
    let mut components = Vec::new();
    for e in effects {
        match e {
            Effect::Ask {
                position,
                number,
                total,
                question_id,
                deadline,
                ..
            } => {
                if let Some(q) = view.bank.question(question_id) {
                    cards.push(question_card(view.bank, q, *number, *total, *deadline, &[], 0));
                    components = question_buttons(view, *position, 0);
                }
            }
            Effect::Remind {
                position, deadline, ..
            } => cards.push(Card::new(
                "",
                &format!(
                    "⏰ Question {} closes {}. Press **Answer** now; at the deadline what you have submitted counts.",
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
            } => cards.push(hint_card(*number, text, *penalty)),
            Effect::FollowUp { text, .. } => {
                cards.push(Card::new("↪ Follow-up", text, BLUE))
            }
            Effect::Feedback(f) => {
                cards.push(feedback_card(f));
                if f.rate_until.is_some() && matches!(view.phase, Phase::Scoring { .. }) {
                    components = rating_buttons(view.session, f.position, view.owner);
                }
            }
            Effect::Scored {
                position,
                score: Some(s),
                points,
                ..
            } => cards.push(Card::new(
                "",
                &format!("Question {} scored **{s}/100** · {points:.2} points", position + 1),
                GREEN,
            )),
            Effect::Ended(summary) => {
                cards.push(summary_card(view.bank, summary));
                components = Vec::new();
            }
            Effect::ParticipantLeft { .. } => {
                cards.push(Card::new("", "The candidate left, so the interview ended.", GREY))
            }
            Effect::AnswerSaved { .. } | Effect::ScoreRecorded { .. } | Effect::Scored { .. } => {}
        }
    }
    pack(cards, components)
}

pub fn average_text(avg: Option<f64>) -> String {
    crate::terminal::render::average_text(avg)
}

pub fn hint_card(number: usize, text: &str, penalty: u32) -> Card {
    Card::new(&format!("💡 Hint {number}"), text, AMBER)
        .footer(&format!("−{penalty} points on this question so far"))
}

/// The question embed; `hints` are the hints shown so far.
pub fn question_card(
    bank: &Bank,
    q: &Question,
    number: usize,
    total: usize,
    deadline: Timestamp,
    hints: &[String],
    penalty: u32,
) -> Card {
    let mut card = Card::new(
        &format!("Question {number} of {total}"),
        &truncate(q.prompt.trim_end(), 3000),
        BLUE,
    )
    .field("Topic", bank.topic_title(&q.topic))
    .field("Difficulty", q.difficulty.as_str())
    .field("Time", &format!("closes {}", relative(deadline)));
    if !hints.is_empty() {
        let lines: Vec<String> = hints
            .iter()
            .enumerate()
            .map(|(i, h)| format!("{}. {}", i + 1, h))
            .collect();
        card = card.field(
            &format!("💡 Hints (−{penalty} points so far)"),
            &bullets(&lines, "", text::FIELD),
        );
    }
    card.footer("Answer opens a text box. Each hint costs points; Skip scores 0.")
}

pub fn question_buttons(view: &View, position: usize, hints_used: u32) -> Vec<CreateActionRow> {
    let id = |a| InterviewId::new(view.session, position, a, view.owner).encode();
    let mut row = vec![
        CreateButton::new(id(Action::Answer))
            .label("Answer")
            .style(ButtonStyle::Primary),
        CreateButton::new(id(Action::Hint(hints_used)))
            .label("Hint")
            .style(ButtonStyle::Secondary),
        CreateButton::new(id(Action::Skip))
            .label("Skip")
            .style(ButtonStyle::Secondary),
        CreateButton::new(id(Action::Note))
            .label("Add note")
            .style(ButtonStyle::Secondary),
        CreateButton::new(id(Action::End))
            .label("End interview")
            .style(ButtonStyle::Danger),
    ];
    let mut rows = Vec::new();
    if view.message_content {
        rows.push(CreateActionRow::Buttons(vec![CreateButton::new(id(
            Action::Submit,
        ))
        .label("Submit typed answer")
        .style(ButtonStyle::Success)]));
    }
    rows.insert(0, CreateActionRow::Buttons(std::mem::take(&mut row)));
    rows
}

pub fn rating_buttons(session: SessionId, position: usize, owner: u64) -> Vec<CreateActionRow> {
    let buttons = (1..=5)
        .map(|r| {
            CreateButton::new(InterviewId::new(session, position, Action::Rate(r), owner).encode())
                .label(r.to_string())
                .style(ButtonStyle::Secondary)
        })
        .collect();
    vec![CreateActionRow::Buttons(buttons)]
}

pub fn feedback_card(f: &Feedback) -> Card {
    let (title, colour) = match f.outcome {
        Outcome::Answered => ("Answer received".to_string(), GREEN),
        Outcome::TimedOut => (
            "⌛ Time is up: what you submitted counts".to_string(),
            AMBER,
        ),
        Outcome::Unanswered => ("⌛ Time is up with no answer: 0 points".to_string(), GREY),
        Outcome::Skipped => ("Skipped: 0 points".to_string(), GREY),
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
    Card::new(&title, &description, colour)
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

pub fn outcome(o: Option<Outcome>) -> &'static str {
    crate::terminal::render::outcome(o)
}

pub fn summary_card(bank: &Bank, s: &Summary) -> Card {
    let rows: Vec<String> = s
        .rows
        .iter()
        .map(|r| {
            let score = r
                .score
                .map(|s| format!("{s}/100"))
                .unwrap_or_else(|| "not scored".into());
            let hints = if r.hints_used > 0 {
                format!(" · {} hint(s)", r.hints_used)
            } else {
                String::new()
            };
            format!(
                "{}. {} · {} · {} · {score} · {:.2} pts{hints}",
                r.position + 1,
                bank.topic_title(&r.topic),
                r.difficulty.as_str(),
                outcome(r.outcome),
                r.points
            )
        })
        .collect();
    let topics: Vec<String> = s
        .topics
        .iter()
        .map(|t| {
            let avg = average_text(t.average);
            format!(
                "{}: {} question(s), average {avg}",
                bank.topic_title(&t.topic),
                t.questions
            )
        })
        .collect();
    let avg = average_text(s.average());
    let notes: Vec<String> = s.notes.iter().map(|n| n.text.clone()).collect();
    let notes_text = if notes.is_empty() {
        "None: every key point was covered.".to_string()
    } else {
        format!(
            "{} saved (see /notes):\n{}",
            notes.len(),
            bullets(&notes, "•", text::FIELD - 40)
        )
    };
    Card::new(
        &format!("Summary ({})", s.status.as_str()),
        &bullets(&rows, "", 3000),
        GREEN,
    )
    .field("By topic", &bullets(&topics, "•", text::FIELD))
    .field(
        "Total",
        &format!("average {avg} · {:.2} points", s.total_points()),
    )
    .field("Follow-up notes", &notes_text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_cards_are_split_across_messages_within_the_limits() {
        let big = Card::new("t", &"x".repeat(5000), BLUE);
        let posts = pack(vec![big.clone(), big.clone(), big], Vec::new());
        assert_eq!(posts.len(), 3);
        for p in &posts {
            let total: usize = p.cards.iter().map(Card::chars).sum();
            assert!(total <= text::MESSAGE_EMBEDS);
        }
        let small: Vec<Card> = (0..12).map(|_| Card::new("a", "b", BLUE)).collect();
        let posts = pack(small, Vec::new());
        assert_eq!(
            posts.iter().map(|p| p.cards.len()).collect::<Vec<_>>(),
            [10, 2]
        );
    }

    fn huge_bank() -> Bank {
        use crate::bank::{Difficulty, KeyPoint, Topic};
        let long = |n: usize| "word @everyone ".repeat(n);
        let q = Question {
            id: "big".into(),
            topic: "t".into(),
            difficulty: Difficulty::Hard,
            tags: Vec::new(),
            prompt: long(800),
            key_points: (0..40)
                .map(|i| KeyPoint {
                    point: format!("{i} {}", long(30)),
                    keywords: vec!["word".into()],
                })
                .collect(),
            model_answer: long(900),
            hints: vec![long(100); 3],
            follow_ups: vec![long(60); 6],
            time_limit_minutes: None,
            rubric: Default::default(),
        };
        let topic = Topic {
            slug: "t".into(),
            title: long(40),
            description: String::new(),
            subtopics: Vec::new(),
        };
        Bank::from_parts([("t".to_string(), topic)].into_iter().collect(), vec![q])
    }

    #[test]
    fn the_longest_bank_texts_stay_within_every_discord_limit() {
        let bank = huge_bank();
        let q = bank.question("big").expect("question");
        let feedback = Effect::Feedback(Feedback {
            position: 0,
            question_id: "big".into(),
            candidate: crate::interview::UserId(1),
            outcome: Outcome::Answered,
            coverage: 50,
            covered: q.key_points[..20]
                .iter()
                .map(|k| crate::interview::CoveredPoint {
                    point: k.point.clone(),
                    heard: "word @everyone word".into(),
                })
                .collect(),
            missed: q.key_points[20..].iter().map(|k| k.point.clone()).collect(),
            model_answer: q.model_answer.clone(),
            follow_ups: q.follow_ups.clone(),
            rate_until: Some(Timestamp(1_000_000)),
        });
        let ask = Effect::Ask {
            position: 1,
            number: 2,
            total: 2,
            question_id: "big".into(),
            candidate: crate::interview::UserId(1),
            deadline: Timestamp(2_000_000),
        };
        let phase = Phase::Answering {
            deadline: Timestamp(2_000_000),
            remind_at: Timestamp(1_900_000),
            reminded: false,
        };
        let view = View {
            bank: &bank,
            session: 7,
            owner: 42,
            message_content: true,
            phase: &phase,
        };
        let posts = delivery(&view, &[feedback, ask]);
        assert!(!posts.is_empty());
        for p in &posts {
            assert!(p.cards.len() <= 10);
            let total: usize = p.cards.iter().map(Card::chars).sum();
            assert!(total <= text::MESSAGE_EMBEDS, "{total}");
            for c in &p.cards {
                assert!(c.title.chars().count() <= text::TITLE);
                assert!(c.description.chars().count() <= text::DESCRIPTION);
                assert!(c.fields.len() <= 25);
                for (n, v) in &c.fields {
                    assert!(n.chars().count() <= text::TITLE);
                    assert!(
                        v.chars().count() <= text::FIELD,
                        "{n}: {}",
                        v.chars().count()
                    );
                }
            }
        }
        // The question's buttons sit under the last message, with a Submit
        // row when typed answers are on.
        let last = posts.last().expect("a post");
        assert_eq!(last.components.len(), 2);
        let hints: Vec<String> = q.hints.clone();
        let card = question_card(&bank, q, 2, 2, Timestamp(2_000_000), &hints, 30);
        assert!(card
            .fields
            .iter()
            .all(|(_, v)| v.chars().count() <= text::FIELD));
    }

    #[test]
    fn fields_are_cut_to_the_field_limit() {
        let c = Card::new("t", "d", BLUE).field("n", &"é".repeat(3000));
        assert!(c.fields[0].1.chars().count() <= text::FIELD);
        let c = Card::new("t", "d", BLUE).field("n", "  ");
        assert!(c.fields.is_empty());
    }
}
