//! `/interview start|end|status`: a solo interview in its own thread.

use super::deliver;
use super::permissions::{self, check_thread_permissions, private_threads_allowed};
use super::render::{Card, BLUE};
use super::start::{archive_after, open, thread_name, Thread};
use super::text::{channel_link, relative, truncate};
use super::{reply, BotError, Context};
use crate::bank::DifficultyChoice;
use crate::interview::{Actor, Control, Phase, Press, UserId};
use crate::runtime::StartRequest;
use crate::store::StoreError;
use poise::serenity_prelude as serenity;
use serenity::{ChannelId, ChannelType};

pub const MAX_QUESTIONS: u8 = 20;

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum DifficultyOption {
    #[name = "easy"]
    Easy,
    #[name = "medium"]
    Medium,
    #[name = "hard"]
    Hard,
    #[name = "mixed"]
    Mixed,
}

impl From<DifficultyOption> for DifficultyChoice {
    fn from(d: DifficultyOption) -> Self {
        match d {
            DifficultyOption::Easy => DifficultyChoice::Easy,
            DifficultyOption::Medium => DifficultyChoice::Medium,
            DifficultyOption::Hard => DifficultyChoice::Hard,
            DifficultyOption::Mixed => DifficultyChoice::Mixed,
        }
    }
}

/// Topics of the bank matching what is typed (Discord shows at most 25).
pub async fn autocomplete_topic(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let bank = ctx.data().runtime.bank();
    let typed = partial.trim().to_lowercase();
    let choices = bank
        .topics
        .values()
        .filter(|t| t.slug.contains(&typed) || t.title.to_lowercase().contains(&typed))
        .take(25)
        .map(|t| serenity::AutocompleteChoice::new(truncate(&t.title, 100), t.slug.clone()))
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

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
    check_range("questions", questions, MAX_QUESTIONS)?;
    if let Some(m) = minutes {
        check_range("minutes per question", m, 60)?;
    }
    let guild_settings = check_where(ctx, "/interview start", "the interview").await?;
    let store = data.runtime.store();
    let author = ctx.author();
    let name = ctx
        .author_member()
        .await
        .map(|m| m.display_name().to_string())
        .unwrap_or_else(|| author.name.clone());
    let user = store.discord_user(author.id.get(), &name).await?;
    let guild = ctx.guild_id().map(|g| g.get());
    if store.running_solo(user, guild).await?.is_some() {
        return Err(StoreError::AlreadyRunning(0).into());
    }
    let minutes_f = minutes
        .map(f64::from)
        .or(guild_settings.default_minutes.map(f64::from))
        .or(data.config.interview.default_minutes);
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
            usize::from(questions),
            settings,
        )
    };
    let planned = data.runtime.plan(request).await?;
    let bank = data.runtime.bank();
    let name = thread_name(&format!("{name} · {} interview", bank.topic_title(&topic)));
    let thread = Thread {
        parent: ctx.channel_id(),
        name: &name,
        archive: archive_after(usize::from(questions), minutes_f),
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

/// The topic as the bank names it, or what to do instead.
pub(super) fn checked_topic(ctx: Context<'_>, topic: &str) -> Result<String, BotError> {
    let topic = topic.trim().to_lowercase();
    ctx.data()
        .runtime
        .bank()
        .check_topics(std::slice::from_ref(&topic))
        .map_err(|e| {
            BotError::user(format!(
                "{}. Pick one from the list as you type.",
                super::errors::capitalise(&e.to_string())
            ))
        })?;
    Ok(topic)
}

/// Discord enforces the options' ranges, but a stale client may not.
pub(super) fn check_range(what: &str, value: u8, max: u8) -> Result<(), BotError> {
    if (1..=max).contains(&value) {
        return Ok(());
    }
    Err(BotError::user(format!(
        "Choose between 1 and {max} {what}."
    )))
}

/// Sessions start in a text channel (they get a thread of their own), and
/// in the server's interview channel if it has one.
pub(super) async fn check_where(
    ctx: Context<'_>,
    command: &str,
    what: &str,
) -> Result<crate::store::GuildSettings, BotError> {
    if in_thread(ctx) {
        return Err(BotError::user(format!(
            "Run {command} in a text channel: {what} gets a thread of its own there."
        )));
    }
    let guild = ctx
        .guild_id()
        .ok_or_else(|| BotError::user("This command works in a server, not in direct messages."))?;
    let settings = ctx
        .data()
        .runtime
        .store()
        .guild_settings(guild.get())
        .await?;
    if let Some(required) = settings.interview_channel_id {
        if required != ctx.channel_id().get() {
            return Err(BotError::user(format!(
                "Interviews start in {} on this server: run the command there.",
                channel_link(required)
            )));
        }
    }
    Ok(settings)
}

fn in_thread(ctx: Context<'_>) -> bool {
    match ctx {
        poise::Context::Application(a) => a.interaction.channel.as_ref().is_some_and(|c| {
            matches!(
                c.kind,
                ChannelType::PublicThread | ChannelType::PrivateThread | ChannelType::NewsThread
            )
        }),
        poise::Context::Prefix(_) => false,
    }
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
    let state = &s.state;
    let done = state.results.iter().filter(|r| r.finalised).count();
    let points: f64 = state.results.iter().map(|r| r.points).sum();
    let now_doing = match &state.phase {
        Phase::Answering { deadline, .. } => format!(
            "Question {} of {} closes {}.",
            state.results.len(),
            state.plan.len(),
            relative(*deadline)
        ),
        Phase::Scoring { until } => format!(
            "Waiting for your rating of question {}; moves on {}.",
            state.results.len(),
            relative(*until)
        ),
        Phase::Done => "Finishing.".to_string(),
    };
    let mut card = Card::new("Your interview", &now_doing, BLUE)
        .field(
            "Done",
            &format!(
                "{done} of {} questions · {points:.2} points",
                state.plan.len()
            ),
        )
        .field("Started", &relative(state.started_at));
    if let Some(t) = s.thread_id {
        card = card.field("Thread", &channel_link(t));
    }
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
