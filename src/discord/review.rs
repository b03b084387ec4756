//! `/review`: a timed interview of the questions due for spaced review, in
//! a thread of its own like `/interview start`; `/review remind:on|off`
//! turns the daily reminder on or off. The runtime decides what is due.

use super::options::{check_where, limited};
use super::permissions::{self, check_thread_permissions, private_threads_allowed};
use super::start::{archive_after, open, thread_name, Thread};
use super::{reply, BotError, Context};
use crate::bank::DifficultyChoice;
use crate::interview::limits::QuestionCount;
use crate::present::text::{channel_link, relative};
use crate::runtime::{ReviewPlan, StartRequest};
use crate::store::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, poise::ChoiceParameter)]
pub enum RemindOption {
    #[name = "on"]
    On,
    #[name = "off"]
    Off,
}

/// Review the questions due for you (spaced repetition), or set reminders
#[poise::command(slash_command, guild_only)]
#[tracing::instrument(skip_all, fields(user = ctx.author().id.get()))]
pub async fn review(
    ctx: Context<'_>,
    #[description = "Daily reminder when questions are due: on or off (no review starts)"]
    remind: Option<RemindOption>,
    #[description = "Questions at most (1-20, default 5)"]
    #[min = 1]
    #[max = 20]
    questions: Option<u8>,
    #[description = "Open a private thread only you and the bot can see"] private: Option<bool>,
) -> Result<(), BotError> {
    ctx.defer_ephemeral().await?;
    let data = ctx.data();
    let store = data.runtime.store();
    let (user, name) = super::caller::caller(ctx).await?;
    let author = ctx.author();
    let guild = ctx.guild_id().map(|g| g.get());
    if let Some(choice) = remind {
        return set_reminders(ctx, user, guild, choice).await;
    }
    let questions = questions.unwrap_or(data.config.interview.default_questions.min(20) as u8);
    let questions = limited("number of questions", questions, |n| {
        QuestionCount::new(n as usize)
    })?
    .get();
    let guild_settings = check_where(ctx, "/review", "the review").await?;
    if store.running_solo(user, guild).await?.is_some() {
        return Err(StoreError::AlreadyRunning(0).into());
    }
    let may = permissions::app_permissions(ctx);
    check_thread_permissions(may)?;
    let minutes = (data.config.interview).minutes_for(None, guild_settings.default_minutes);
    let settings = data
        .config
        .interview
        .session_settings(minutes, data.question_seconds);
    let request = StartRequest {
        guild_id: guild,
        channel_id: Some(ctx.channel_id().get()),
        ..StartRequest::solo(
            user,
            &name,
            Vec::new(),
            DifficultyChoice::Mixed,
            questions,
            settings,
        )
    };
    let (planned, items) = match data.runtime.plan_review(request).await? {
        ReviewPlan::Ready { planned, items } => (*planned, items),
        ReviewPlan::NothingDue { next_due } => {
            let when = match next_due {
                Some(at) => format!("The next question comes due {}.", relative(at)),
                None => "Answer a few questions first: what you miss comes back here.".into(),
            };
            ctx.send(reply::ephemeral(format!(
                "Nothing is due for review. {when} Meanwhile, start a normal interview with /interview start."
            )))
            .await?;
            return Ok(());
        }
    };
    let thread_title = thread_name(&format!("{name} · review"));
    let thread = Thread {
        parent: ctx.channel_id(),
        name: &thread_title,
        archive: archive_after(items.len(), minutes),
        private: private.unwrap_or(false) && private_threads_allowed(may),
        members: vec![author.id.get()],
        intro: None,
    };
    let opened = open(ctx.http(), data, planned, thread).await?;
    let mut text = format!(
        "Your review of {} due question(s) is ready in {}.",
        items.len(),
        channel_link(opened.thread.get())
    );
    if private.unwrap_or(false) && (opened.private_refused || !private_threads_allowed(may)) {
        text.push_str(" (A private thread was not allowed here, so it is a public one.)");
    }
    ctx.send(reply::ephemeral(text)).await?;
    Ok(())
}

async fn set_reminders(
    ctx: Context<'_>,
    user: crate::interview::UserId,
    guild: Option<u64>,
    choice: RemindOption,
) -> Result<(), BotError> {
    let data = ctx.data();
    let on = choice == RemindOption::On;
    let store = data.runtime.store();
    store
        .set_reminders(user, guild, on, data.runtime.now())
        .await?;
    let text = if on {
        let place = match guild {
            Some(g) => store.guild_settings(g).await?.review_channel_id,
            None => None,
        };
        let place = match place {
            Some(c) => format!("in {}", channel_link(c)),
            None => "as a direct message (if you allow DMs from server members)".into(),
        };
        format!("Reminders are on: at most one message a day, {place}, when questions are due for review. Turn them off with /review remind:off.")
    } else {
        "Reminders are off: you will get no more review reminders.".to_string()
    };
    ctx.send(reply::ephemeral(text)).await?;
    Ok(())
}
