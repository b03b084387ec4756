//! `present`'s cards and buttons as Discord embeds and components.

use crate::present::{Button, Card, Post, Row, Style};
use poise::serenity_prelude as serenity;
use serenity::{ButtonStyle, CreateActionRow, CreateButton, CreateEmbed, CreateEmbedFooter};

pub fn embed(card: &Card) -> CreateEmbed {
    let mut e = CreateEmbed::new().colour(card.colour);
    if !card.title.is_empty() {
        e = e.title(&card.title);
    }
    if !card.description.is_empty() {
        e = e.description(&card.description);
    }
    for (name, value) in &card.fields {
        e = e.field(name, value, false);
    }
    if !card.footer.is_empty() {
        e = e.footer(CreateEmbedFooter::new(&card.footer));
    }
    e
}

pub fn embeds(post: &Post) -> Vec<CreateEmbed> {
    post.cards.iter().map(embed).collect()
}

fn button(b: &Button) -> CreateButton {
    let style = match b.style {
        Style::Primary => ButtonStyle::Primary,
        Style::Secondary => ButtonStyle::Secondary,
        Style::Success => ButtonStyle::Success,
        Style::Danger => ButtonStyle::Danger,
    };
    CreateButton::new(b.target.encode())
        .label(&b.label)
        .style(style)
}

pub fn rows(rows: &[Row]) -> Vec<CreateActionRow> {
    rows.iter()
        .map(|r| CreateActionRow::Buttons(r.iter().map(button).collect()))
        .collect()
}
