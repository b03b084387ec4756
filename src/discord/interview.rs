//! `/interview start|end|status`: a solo interview in its own thread.

use super::deliver;
use super::options::{
    autocomplete_topic, check_minutes, checked_topic, question_count, DifficultyOption,
};
use super::{reply, solo, BotError, Context};
use crate::interview::{Actor, Control, Press, UserId};
use crate::present;
use crate::present::text::channel_link;
use poise::serenity_prelude as serenity;
use serenity::ChannelId;

/// Timed mock interviews in a thread of their own
#[poise::command(
    slash_command,
    guild_only,
    subcommands("start", "end", "status"),
    subcommand_required
)]
pub async fn interview(_ctx: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Start a timed mock interview in a new thread
#[poise::command(slash_command, guild_only)]
#[tracing::instrument(skip_all, fields(user = ctx.author().id.get()))]
pub async fn start(
    ctx: Context<'_>,
    #[description = "Topic to be interviewed on"]
    #[autocomplete = "autocomplete_topic"]
    topic: String,
    #[description = "easy, medium, hard or mixed (default mixed)"] difficulty: Option<
        DifficultyOption,
    >,
    #[description = "Number of questions (1-20, default 5)"]
    #[min = 1]
    #[max = 20]
    questions: Option<u8>,
    #[description = "Minutes per question for questions without a limit of their own (1-60)"]
    #[min = 1]
    #[max = 60]
    minutes: Option<u8>,
    #[description = "Open a private thread only you and the bot can see"] private: Option<bool>,
) -> Result<(), BotError> {
    // Thread creation and the database may be slow: answer within 3 s first.
    ctx.defer_ephemeral().await?;
    let data = ctx.data();
    let topic = checked_topic(ctx, &topic)?;
    let questions = question_count(ctx, questions)?;
    check_minutes(minutes)?;
    let solo = solo::prepare(ctx, "/interview start", "the interview", minutes).await?;
    let difficulty = difficulty.unwrap_or(DifficultyOption::Mixed).into();
    let request = solo.request(vec![topic.clone()], difficulty, questions);
    let planned = data.runtime.plan(request).await?;
    let bank = data.runtime.bank_for(ctx.guild_id().map(|g| g.get()));
    let title = format!("{} · {} interview", solo.name, bank.topic_title(&topic));
    let ready = solo
        .open(ctx, planned, &title, private.unwrap_or(false))
        .await?;
    ctx.send(reply::ephemeral(format!(
        "Your interview is {ready} Good luck!"
    )))
    .await?;
    Ok(())
}

/// End your running interview now (the summary is posted in its thread)
#[poise::command(slash_command, guild_only)]
pub async fn end(ctx: Context<'_>) -> Result<(), BotError> {
    ctx.defer_ephemeral().await?;
    let data = ctx.data();
    let (session_id, user) = running_here(ctx).await?;
    let press = Press {
        position: None,
        control: Control::End,
    };
    let d = data
        .runtime
        .press(session_id, Actor::person(user), press)
        .await?;
    let (posts, archive) = super::controls::thread_posts(data, &d);
    let Some(thread) = d.session.thread_id else {
        ctx.send(reply::ephemeral("Interview ended.")).await?;
        return Ok(());
    };
    for p in &posts {
        ChannelId::new(thread)
            .send_message(ctx.http(), reply::channel_message(p))
            .await?;
    }
    if let Some(t) = archive {
        deliver::archive(ctx.http(), t).await;
    }
    ctx.send(reply::ephemeral(format!(
        "Interview ended; the summary is in {}.",
        channel_link(thread)
    )))
    .await?;
    Ok(())
}

/// Where your running interview stands
#[poise::command(slash_command, guild_only)]
pub async fn status(ctx: Context<'_>) -> Result<(), BotError> {
    ctx.defer_ephemeral().await?;
    let data = ctx.data();
    let (session_id, _) = running_here(ctx).await?;
    let s = data.runtime.session(session_id).await?;
    let card = present::status(&s);
    reply::send_card(ctx, card, true).await
}

/// The caller's interview running in this server, or what to do instead.
async fn running_here(ctx: Context<'_>) -> Result<(i64, UserId), BotError> {
    let store = ctx.data().runtime.store();
    let guild = ctx.guild_id().map(|g| g.get());
    if let Some(user) = store.find_discord_user(ctx.author().id.get()).await? {
        if let Some(s) = store.running_solo(user, guild).await? {
            return Ok((s, user));
        }
    }
    Err(BotError::user(
        "You have no interview running here. Start one with /interview start.",
    ))
}
