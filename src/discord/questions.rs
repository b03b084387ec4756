//! `/topics` and `/question`.

use super::options::{autocomplete_topic, DifficultyOption};
use super::{reply, BotError, Context};
use crate::bank::{DifficultyChoice, Selection};
use crate::present;
use std::collections::HashSet;

/// The bank's topics with question counts per difficulty
#[poise::command(slash_command)]
pub async fn topics(ctx: Context<'_>) -> Result<(), BotError> {
    let bank = ctx.data().runtime.bank_for(ctx.guild_id().map(|g| g.get()));
    let card = present::reports::topics_card(&bank);
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
        .map_err(|e| BotError::user(crate::present::text::capitalise(&e.to_string())))?;
    let Some(q) = picked.first() else {
        return Err(BotError::user(
            "No question matches: try another topic or difficulty.",
        ));
    };
    let card = present::reports::quick_question(&bank, q);
    ctx.send(
        poise::CreateReply::default()
            .embed(super::render::embed(&card))
            .allowed_mentions(reply::no_mentions()),
    )
    .await?;
    Ok(())
}
