//! `/interview start|end|status`: a solo interview in its own thread.

use super::deliver::{self, render_delivery};
use super::permissions;
use super::render::{Card, BLUE};
use super::text::{channel_link, relative, truncate};
use super::{reply, BotError, Context};
use crate::bank::DifficultyChoice;
use crate::interview::{Event, Phase};
use crate::runtime::StartRequest;
use crate::store::StoreError;
use poise::serenity_prelude as serenity;
use serenity::{AutoArchiveDuration, ChannelId, ChannelType, CreateThread};

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
    let guild = ctx
        .guild_id()
        .ok_or_else(|| BotError::user("Interviews run in a server, not in direct messages."))?;
    let runtime = &data.runtime;
    let store = runtime.store();
    let bank = runtime.bank();
    let topic = topic.trim().to_lowercase();
    bank.check_topics(std::slice::from_ref(&topic))
        .map_err(|e| {
            BotError::user(format!(
                "{}. Pick one from the list as you type.",
                super::errors::capitalise(&e.to_string())
            ))
        })?;
    let questions = questions.unwrap_or(data.config.interview.default_questions.min(20) as u8);
    if !(1..=MAX_QUESTIONS).contains(&questions) {
        return Err(BotError::user("Choose between 1 and 20 questions."));
    }
    if minutes.is_some_and(|m| !(1..=60).contains(&m)) {
        return Err(BotError::user(
            "Choose between 1 and 60 minutes per question.",
        ));
    }
    if in_thread(ctx) {
        return Err(BotError::user(
            "Run /interview start in a text channel: the interview gets a thread of its own there.",
        ));
    }
    let settings_row = store.guild_settings(guild.get()).await?;
    let here = ctx.channel_id();
    if let Some(required) = settings_row.interview_channel_id {
        if required != here.get() {
            return Err(BotError::user(format!(
                "Interviews start in {} on this server: run the command there.",
                channel_link(required)
            )));
        }
    }
    let author = ctx.author();
    let name = ctx
        .author_member()
        .await
        .map(|m| m.display_name().to_string())
        .unwrap_or_else(|| author.name.clone());
    let user = store.discord_user(author.id.get(), &name).await?;
    if store.running_solo(user, Some(guild.get())).await?.is_some() {
        return Err(StoreError::AlreadyRunning(0).into());
    }

    let title = bank.topic_title(&topic).to_string();
    let thread_name = truncate(&format!("{name} · {title} interview"), 100);
    let minutes_f = minutes
        .map(f64::from)
        .or(settings_row.default_minutes.map(f64::from))
        .or(data.config.interview.default_minutes);
    let archive = archive_after(usize::from(questions), minutes_f);
    let may = permissions::app_permissions(ctx);
    permissions::check_thread_permissions(may)?;
    let want_private = private.unwrap_or(false);
    let private_allowed = permissions::private_threads_allowed(may);
    let (thread, _) = create_thread(
        ctx.http(),
        here,
        &thread_name,
        archive,
        want_private && private_allowed,
    )
    .await?;
    let private_refused = want_private && !private_allowed;
    if let Err(e) = thread.add_thread_member(ctx.http(), author.id).await {
        tracing::warn!(error = ?e, "could not add the candidate to the thread");
    }
    let settings = data
        .config
        .interview
        .session_settings(minutes_f, data.question_seconds);
    let difficulty = difficulty.unwrap_or(DifficultyOption::Mixed).into();
    let request = StartRequest {
        guild_id: Some(guild.get()),
        channel_id: Some(here.get()),
        thread_id: Some(thread.get()),
        ..StartRequest::solo(
            user,
            &name,
            vec![topic],
            difficulty,
            usize::from(questions),
            settings,
        )
    };
    let (_, posts) = start_in_thread(ctx.http(), data, thread, request).await?;
    for p in &posts {
        thread
            .send_message(ctx.http(), reply::channel_message(p))
            .await?;
    }
    let mut text = format!(
        "Your interview is ready in {}. Good luck!",
        channel_link(thread.get())
    );
    if private_refused {
        text.push_str(" (A private thread was not allowed here, so it is a public one.)");
    }
    ctx.send(reply::ephemeral(text)).await?;
    Ok(())
}

/// Starts the session meant for `thread` and returns its first messages; if
/// it cannot start, the thread (still empty) is deleted again.
pub(super) async fn start_in_thread(
    http: &serenity::Http,
    data: &super::Data,
    thread: ChannelId,
    request: StartRequest,
) -> Result<(crate::runtime::Delivery, Vec<super::render::Post>), BotError> {
    let runtime = &data.runtime;
    let delivery = match runtime.start(request).await {
        Ok(d) => d,
        Err(e) => {
            let _ = thread.delete(http).await;
            return Err(e.into());
        }
    };
    data.threads.insert(thread.get(), delivery.session.id);
    let posts = render_delivery(
        runtime,
        data.config.discord.message_content,
        &delivery.session,
        &delivery.effects,
    )
    .await?;
    Ok((delivery, posts))
}

pub(super) fn in_thread(ctx: Context<'_>) -> bool {
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

/// Long enough that a quiet thread is not archived in the middle of its
/// interview: the expected length with two minutes per question to spare.
pub(super) fn archive_after(questions: usize, minutes: Option<f64>) -> AutoArchiveDuration {
    let expected = questions as f64 * (minutes.unwrap_or(5.0) + 2.0);
    if expected < 50.0 {
        AutoArchiveDuration::OneHour
    } else {
        AutoArchiveDuration::OneDay
    }
}

/// A thread for the interview; private when asked and allowed (falls back
/// to public, saying so).
pub(super) async fn create_thread(
    http: &serenity::Http,
    parent: ChannelId,
    name: &str,
    archive: AutoArchiveDuration,
    private: bool,
) -> Result<(ChannelId, bool), BotError> {
    let build = |kind| {
        let t = CreateThread::new(name)
            .kind(kind)
            .auto_archive_duration(archive);
        if kind == ChannelType::PrivateThread {
            t.invitable(false)
        } else {
            t
        }
    };
    if private {
        match parent
            .create_thread(http, build(ChannelType::PrivateThread))
            .await
        {
            Ok(t) => return Ok((t.id, false)),
            Err(e) => tracing::info!(error = ?e, "private thread refused; opening a public one"),
        }
    }
    match parent.create_thread(http, build(ChannelType::PublicThread)).await {
        Ok(t) => Ok((t.id, private)),
        Err(serenity::Error::Http(e)) if e.status_code().is_some_and(|s| s.as_u16() == 403) => {
            Err(BotError::user(
                "I may not create threads in this channel: ask an admin to give me Create Public Threads and Send Messages in Threads, or use another channel.",
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// End your running interview now (the summary is posted in its thread)
#[poise::command(slash_command, guild_only)]
pub async fn end(ctx: Context<'_>) -> Result<(), BotError> {
    ctx.defer_ephemeral().await?;
    let data = ctx.data();
    let Some(session_id) = running_here(ctx).await? else {
        return Err(BotError::user(
            "You have no interview running here. Start one with /interview start.",
        ));
    };
    let lock = data.locks.get(session_id);
    let _guard = lock.lock().await;
    let by = data
        .runtime
        .store()
        .find_discord_user(ctx.author().id.get())
        .await?;
    let d = data.runtime.handle(session_id, Event::End { by }).await?;
    let posts = render_delivery(
        &data.runtime,
        data.config.discord.message_content,
        &d.session,
        &d.effects,
    )
    .await?;
    if let Some(thread) = d.session.thread_id {
        for p in &posts {
            ChannelId::new(thread)
                .send_message(ctx.http(), reply::channel_message(p))
                .await?;
        }
        data.threads.remove(thread);
        deliver::archive(ctx.http(), thread).await;
        ctx.send(reply::ephemeral(format!(
            "Interview ended; the summary is in {}.",
            channel_link(thread)
        )))
        .await?;
    } else {
        ctx.send(reply::ephemeral("Interview ended.")).await?;
    }
    data.locks.forget(session_id);
    Ok(())
}

/// Where your running interview stands
#[poise::command(slash_command, guild_only)]
pub async fn status(ctx: Context<'_>) -> Result<(), BotError> {
    ctx.defer_ephemeral().await?;
    let data = ctx.data();
    let Some(session_id) = running_here(ctx).await? else {
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

async fn running_here(ctx: Context<'_>) -> Result<Option<i64>, BotError> {
    let store = ctx.data().runtime.store();
    let Some(user) = store.find_discord_user(ctx.author().id.get()).await? else {
        return Ok(None);
    };
    Ok(store
        .running_solo(user, ctx.guild_id().map(|g| g.get()))
        .await?)
}
