//! `/topics` and `/question`.

use super::options::{autocomplete_topic, DifficultyOption};
use super::render::{Card, BLUE};
use super::text::{self, bullets, spoiler};
use super::{reply, BotError, Context};
use crate::bank::{DifficultyChoice, Selection};
use std::collections::HashSet;

/// The bank's topics with question counts per difficulty
#[poise::command(slash_command)]
pub async fn topics(ctx: Context<'_>) -> Result<(), BotError> {
    let bank = ctx.data().runtime.bank_for(ctx.guild_id().map(|g| g.get()));
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
    let card = Card::new(
        &format!("{} topics · {} questions", stats.topics.len(), stats.total),
        &bullets(&lines, "", text::DESCRIPTION),
        BLUE,
    )
    .footer("Start one with /interview start topic:<name>");
    reply::send_card(ctx, card, true).await
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
