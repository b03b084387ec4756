//! Engine effects as Discord embeds and buttons: one renderer for solo
//! interviews and panels, branching only where their texts differ. Every
//! text is cut to Discord's limits here, so a long bank entry can never make
//! Discord refuse a message.

mod interviewer;
mod opinion;
mod session;
mod summary;

pub use interviewer::{interviewer_view, others_cards, ratings};
pub use session::{delivery, hint_update, View};

use super::text::{self, truncate};
use poise::serenity_prelude as serenity;
use serenity::{CreateActionRow, CreateEmbed, CreateEmbedFooter};

pub const BLUE: u32 = 0x3B82F6;
pub const GREEN: u32 = 0x22C55E;
pub const AMBER: u32 = 0xF59E0B;
pub const GREY: u32 = 0x6B7280;
/// The model's opinions, apart from the rubric's own colours.
pub const PURPLE: u32 = 0x8B5CF6;

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
