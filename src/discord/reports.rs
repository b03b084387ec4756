//! `/leaderboard` and `/stats`.

use super::options::{autocomplete_topic, LevelOption, PeriodOption};
use super::{reply, BotError, Context};
use crate::present;
use crate::present::text::{self};
use crate::store::{LeaderboardQuery, Period, Scope};
use poise::serenity_prelude as serenity;

/// Top 10 of this server by points, with your own rank
#[poise::command(slash_command, guild_only)]
pub async fn leaderboard(
    ctx: Context<'_>,
    #[description = "Only this topic"]
    #[autocomplete = "autocomplete_topic"]
    topic: Option<String>,
    #[description = "Only this difficulty"] difficulty: Option<LevelOption>,
    #[description = "week, month or all (default month)"] period: Option<PeriodOption>,
    #[description = "Only interviewer-scored panel answers (default false)"] panel_only: Option<
        bool,
    >,
) -> Result<(), BotError> {
    let panel_only = panel_only.unwrap_or(false);
    let data = ctx.data();
    let store = data.runtime.store();
    let guild = ctx
        .guild_id()
        .ok_or_else(|| BotError::user("Leaderboards are per server: run this in a server."))?;
    // Checked before the (public) defer so a bad option is answered ephemerally.
    let topic = topic
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty());
    // This server's topics: the shipped ones and its pack's.
    let bank = data.runtime.bank_for(Some(guild.get()));
    if let Some(t) = &topic {
        bank.check_topics(std::slice::from_ref(t))
            .map_err(|e| BotError::user(crate::present::text::capitalise(&e.to_string())))?;
    }
    ctx.defer().await?;
    let period: Period = period.map(Into::into).unwrap_or_default();
    let me = store.find_discord_user(ctx.author().id.get()).await?;
    let query = LeaderboardQuery {
        scope: Scope::Guild(guild.get()),
        topic: topic.clone(),
        difficulty: difficulty.map(Into::into),
        period,
        panel_only,
        now: data.runtime.now(),
        me,
    };
    let board = store.leaderboard(&query).await?;
    let card = present::reports::leaderboard(&bank, &query, &board);
    reply::send_card(ctx, card, false).await
}

/// Practice statistics: sessions, averages by topic, weakest topics, streak
#[poise::command(slash_command, guild_only)]
pub async fn stats(
    ctx: Context<'_>,
    #[description = "Whose statistics (default: yours)"] user: Option<serenity::User>,
    #[description = "Only interviewer-scored panel answers (default false)"] panel_only: Option<
        bool,
    >,
) -> Result<(), BotError> {
    let panel_only = panel_only.unwrap_or(false);
    ctx.defer_ephemeral().await?;
    let data = ctx.data();
    let store = data.runtime.store();
    let who = user.as_ref().unwrap_or_else(|| ctx.author());
    let name = who.display_name().to_string();
    let Some(id) = store.find_discord_user(who.id.get()).await? else {
        return Err(BotError::user(format!(
            "{} has not practised yet: start with /interview start.",
            text::truncate(&name, 64)
        )));
    };
    let scope = ctx
        .guild_id()
        .map(|g| Scope::Guild(g.get()))
        .unwrap_or(Scope::All);
    let s = store
        .user_stats_of(id, scope, data.runtime.now(), panel_only)
        .await?;
    let bank = data.runtime.bank_for(ctx.guild_id().map(|g| g.get()));
    let card = present::reports::stats(&bank, &name, &s, panel_only);
    super::stats_chart::send(ctx, card, id, &name, &s, scope, panel_only).await
}
