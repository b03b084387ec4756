//! `/interview start|end|status`: a solo interview in its own thread.

use super::deliver;
use super::options::{autocomplete_topic, check_where, checked_topic, limited, DifficultyOption};
use super::permissions::{self, check_thread_permissions, private_threads_allowed};
use super::start::{archive_after, open, thread_name, Thread};
use super::{reply, BotError, Context};
use crate::interview::limits::{MinutesPerQuestion, QuestionCount};
use crate::interview::{Actor, Control, Press, UserId};
use crate::present;
use crate::present::text::channel_link;
use crate::runtime::StartRequest;
use crate::store::StoreError;
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
    let questions = questions.unwrap_or(data.config.interview.default_questions.min(20) as u8);
    let questions = limited("number of questions", questions, |n| {
        QuestionCount::new(n as usize)
    })?
    .get();
    if let Some(m) = minutes {
        limited("minutes per question", m, |m| {
            MinutesPerQuestion::new(m as f64)
        })?;
    }
    let guild_settings = check_where(ctx, "/interview start", "the interview").await?;
    let store = data.runtime.store();
    let (user, name) = super::caller::caller(ctx).await?;
    let author = ctx.author();
    let guild = ctx.guild_id().map(|g| g.get());
    if store.running_solo(user, guild).await?.is_some() {
        return Err(StoreError::AlreadyRunning(0).into());
    }
    let minutes_f = (data.config.interview).minutes_for(minutes, guild_settings.default_minutes);
    let may = permissions::app_permissions(ctx);
    check_thread_permissions(may)?;
    let settings = data
        .config
        .interview
        .session_settings(minutes_f, data.question_seconds);
    let difficulty = difficulty.unwrap_or(DifficultyOption::Mixed).into();
    let request = StartRequest {
        guild_id: guild,
        channel_id: Some(ctx.channel_id().get()),
        ..StartRequest::solo(
            user,
            &name,
            vec![topic.clone()],
            difficulty,
            questions,
            settings,
        )
    };
    let planned = data.runtime.plan(request).await?;
    let bank = data.runtime.bank_for(ctx.guild_id().map(|g| g.get()));
    let name = thread_name(&format!("{name} · {} interview", bank.topic_title(&topic)));
    let thread = Thread {
        parent: ctx.channel_id(),
        name: &name,
        archive: archive_after(questions, minutes_f),
        private: private.unwrap_or(false) && private_threads_allowed(may),
        members: vec![author.id.get()],
        intro: None,
    };
    let private_refused = private.unwrap_or(false) && !private_threads_allowed(may);
    let opened = open(ctx.http(), data, planned, thread).await?;
    let mut text = format!(
        "Your interview is ready in {}. Good luck!",
        channel_link(opened.thread.get())
    );
    if private_refused || opened.private_refused {
        text.push_str(" (A private thread was not allowed here, so it is a public one.)");
    }
    ctx.send(reply::ephemeral(text)).await?;
    Ok(())
}

/// End your running interview now (the summary is posted in its thread)
#[poise::command(slash_command, guild_only)]
pub async fn end(ctx: Context<'_>) -> Result<(), BotError> {
    ctx.defer_ephemeral().await?;
    let data = ctx.data();
    let Some((session_id, user)) = running_here(ctx).await? else {
        return Err(BotError::user(
            "You have no interview running here. Start one with /interview start.",
        ));
    };
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
    let Some((session_id, _)) = running_here(ctx).await? else {
        return Err(BotError::user(
            "You have no interview running here. Start one with /interview start.",
        ));
    };
    let s = data.runtime.session(session_id).await?;
    let card = present::status(&s);
    reply::send_card(ctx, card, true).await
}

async fn running_here(ctx: Context<'_>) -> Result<Option<(i64, UserId)>, BotError> {
    let store = ctx.data().runtime.store();
    let Some(user) = store.find_discord_user(ctx.author().id.get()).await? else {
        return Ok(None);
    };
    let running = store
        .running_solo(user, ctx.guild_id().map(|g| g.get()))
        .await?;
    Ok(running.map(|s| (s, user)))
}
