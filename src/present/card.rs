//! Cards and buttons as plain data, so their sizes can be counted and
//! tested, and any front end can draw them.

use super::action::Target;
use super::text::{self, truncate};

pub const BLUE: u32 = 0x3B82F6;
pub const GREEN: u32 = 0x22C55E;
pub const AMBER: u32 = 0xF59E0B;
pub const GREY: u32 = 0x6B7280;
/// The model's opinions, apart from the rubric's own colours.
pub const PURPLE: u32 = 0x8B5CF6;

/// One block of a message (a Discord embed): title, text, fields, footer.
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
}

/// "Note resolved" for notes an answer just resolved, if any.
pub fn resolved_notes(notes: &[crate::store::ResolvedNote]) -> Option<Card> {
    if notes.is_empty() {
        return None;
    }
    let lines: Vec<String> = notes
        .iter()
        .map(|n| format!("#{} {}", n.id, n.text))
        .collect();
    let title = if notes.len() == 1 {
        "Follow-up note resolved"
    } else {
        "Follow-up notes resolved"
    };
    Some(Card::new(
        title,
        &format!(
            "This answer covered what your earlier note asked for, so it is marked resolved:\n{}",
            text::bullets(&lines, "✓", text::DESCRIPTION - 120)
        ),
        GREEN,
    ))
}

/// One message's worth: embeds and the buttons under them.
#[derive(Debug, Clone, Default)]
pub struct Post {
    pub cards: Vec<Card>,
    pub components: Vec<Row>,
}

impl Post {
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
pub fn pack(cards: Vec<Card>, components: Vec<Row>) -> Vec<Post> {
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

/// How a button looks; what it does is its `target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Primary,
    Secondary,
    Success,
    Danger,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Button {
    pub target: Target,
    pub label: String,
    pub style: Style,
}

impl Button {
    pub fn new(target: Target, label: &str, style: Style) -> Button {
        Button {
            target,
            label: truncate(label, 80),
            style,
        }
    }
}

/// One row of up to five buttons.
pub type Row = Vec<Button>;
