//! `/topics` and `/question`.

use super::options::{autocomplete_topic, DifficultyOption};
use super::render::{Card, BLUE};
use super::text::{self, bullets, spoiler};
use super::{reply, BotError, Context};
use crate::bank::{Bank, DifficultyChoice, Selection};
use std::collections::HashSet;
use std::sync::{Arc, Mutex, Weak};

/// The bank's topics with question counts per difficulty
#[poise::command(slash_command)]
pub async fn topics(ctx: Context<'_>) -> Result<(), BotError> {
    let bank = ctx.data().runtime.bank_for(ctx.guild_id().map(|g| g.get()));
    reply::send_card(ctx, topics_card(&bank), true).await
}

/// Banks never change once built (a reload or a pack makes a new one), so
/// each bank's `/topics` card is drawn once: counting and formatting 600
/// questions on every command was the costliest part of a `/topics` at
/// hundreds a second. Kept per bank while that bank lives.
fn topics_card(bank: &Arc<Bank>) -> Card {
    static CARDS: Mutex<Vec<(Weak<Bank>, Card)>> = Mutex::new(Vec::new());
    let mut cards = CARDS.lock().unwrap_or_else(|p| p.into_inner());
    cards.retain(|(b, _)| b.strong_count() > 0);
    let same = |b: &Weak<Bank>| b.upgrade().is_some_and(|b| Arc::ptr_eq(&b, bank));
    if let Some((_, card)) = cards.iter().find(|(b, _)| same(b)) {
        return card.clone();
    }
    let card = draw_topics(bank);
    cards.push((Arc::downgrade(bank), card.clone()));
    card
}

fn draw_topics(bank: &Bank) -> Card {
    let stats = bank.stats();
    let lines: Vec<String> = stats
        .topics
        .iter()
        .map(|r| {
            format!(
                "**{}** (`{}`): easy {} · medium {} · hard {}",
                bank.topic_title(&r.topic),
                r.topic,
                r.easy,
                r.medium,
                r.hard
            )
        })
        .collect();
    Card::new(
        &format!("{} topics · {} questions", stats.topics.len(), stats.total),
        &bullets(&lines, "", text::DESCRIPTION),
        BLUE,
    )
    .footer("Start one with /interview start topic:<name>")
}

/// One quick question, no timer (the model answer is behind a spoiler)
#[poise::command(slash_command)]
pub async fn question(
    ctx: Context<'_>,
    #[description = "Topic (default: any)"]
    #[autocomplete = "autocomplete_topic"]
    topic: Option<String>,
    #[description = "easy, medium, hard or mixed (default mixed)"] difficulty: Option<
        DifficultyOption,
    >,
) -> Result<(), BotError> {
    let bank = ctx.data().runtime.bank_for(ctx.guild_id().map(|g| g.get()));
    let topics: Vec<String> = topic
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .into_iter()
        .collect();
    let selection = Selection {
        topics,
        difficulty: difficulty
            .map(DifficultyChoice::from)
            .unwrap_or(DifficultyChoice::Mixed),
        count: 1,
        seed: rand::random(),
    };
    let picked = bank
        .select(&selection, &HashSet::new())
        .map_err(|e| BotError::user(super::errors::capitalise(&e.to_string())))?;
    let Some(q) = picked.first() else {
        return Err(BotError::user(
            "No question matches: try another topic or difficulty.",
        ));
    };
    let points: Vec<String> = q.key_points.iter().map(|k| k.point.clone()).collect();
    let card = Card::new(
        &format!("{} · {}", bank.topic_title(&q.topic), q.difficulty.as_str()),
        &text::truncate(q.prompt.trim_end(), 3000),
        BLUE,
    )
    .field(
        "Key points (spoiler)",
        &spoiler(&points.join("\n"), text::FIELD),
    )
    .field(
        "Model answer (spoiler)",
        &spoiler(&q.model_answer, text::FIELD),
    )
    .footer("Practise it timed, with scoring: /interview start");
    ctx.send(
        poise::CreateReply::default()
            .embed(card.embed())
            .allowed_mentions(reply::no_mentions()),
    )
    .await?;
    Ok(())
}
