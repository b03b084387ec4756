//! `/leaderboard` and `/stats`.

use super::options::{autocomplete_topic, LevelOption, PeriodOption};
use super::render::{Card, BLUE};
use super::text::{self, bullets};
use super::{reply, BotError, Context};
use crate::bank::Difficulty;
use crate::store::{LeaderboardQuery, Period, Scope, MIN_ANSWERED};
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
            .map_err(|e| BotError::user(super::errors::capitalise(&e.to_string())))?;
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
    let rows: Vec<String> = board
        .top
        .iter()
        .map(|r| {
            format!(
                "**{}.** {} · {:.2} pts · avg {:.0}/100 · {} answered",
                r.rank,
                text::truncate(&r.name, 64),
                r.points,
                r.average,
                r.answered
            )
        })
        .collect();
    let mut scope = format!("this {}", period.as_str());
    if period == Period::All {
        scope = "all time".into();
    }
    let filter = [
        panel_only.then(|| "panels".to_string()),
        topic.as_deref().map(|t| bank.topic_title(t).to_string()),
        difficulty.map(|d| Difficulty::from(d).as_str().to_string()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    let title = if filter.is_empty() {
        format!("Leaderboard · {scope}")
    } else {
        format!("Leaderboard · {filter} · {scope}")
    };
    let body = if rows.is_empty() {
        format!(
            "Nobody is on the board yet: answer at least {} questions with /interview start.",
            MIN_ANSWERED
        )
    } else {
        bullets(&rows, "", text::DESCRIPTION)
    };
    let mine = match &board.me {
        Some(r) => format!(
            "#{} · {:.2} pts · avg {:.0}/100 · {} answered",
            r.rank, r.points, r.average, r.answered
        ),
        None => format!(
            "Not ranked yet (at least {} answered questions, and not hidden with /privacy hide).",
            MIN_ANSWERED
        ),
    };
    reply::send_card(
        ctx,
        Card::new(&title, &body, BLUE).field("Your rank", &mine),
        false,
    )
    .await
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
    let topics: Vec<String> = s
        .by_topic
        .iter()
        .map(|t| {
            format!(
                "{}: avg {:.0}/100 over {}",
                bank.topic_title(&t.topic),
                t.average,
                t.answered
            )
        })
        .collect();
    let weakest: Vec<String> = s
        .weakest
        .iter()
        .map(|t| format!("{} ({:.0}/100)", bank.topic_title(&t.topic), t.average))
        .collect();
    let avg = crate::interview::scoring::average_text(s.average);
    let card = Card::new(
        &format!(
            "{} · {}",
            if panel_only { "Panel stats" } else { "Stats" },
            text::truncate(&name, 200)
        ),
        &format!(
            "{} sessions · {} questions answered · average {avg} · {:.2} points\nStreak: {} day(s) in a row",
            s.sessions, s.answered, s.points, s.streak_days
        ),
        BLUE,
    )
    .field("By topic", &bullets(&topics, "•", text::FIELD))
    .field("Weakest topics", &bullets(&weakest, "•", text::FIELD));
    super::stats_chart::send(ctx, card, id, &name, &s, scope, panel_only).await
}
