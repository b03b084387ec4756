//! `/review`: a timed interview of the questions due for spaced review, in
//! a thread of its own like `/interview start`; `/review remind:on|off`
//! turns the daily reminder on or off. The runtime decides what is due.

use super::options::question_count;
use super::{reply, solo, BotError, Context};
use crate::bank::DifficultyChoice;
use crate::present;
use crate::present::text::relative;
use crate::runtime::ReviewPlan;

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
    let guild = ctx.guild_id().map(|g| g.get());
    if let Some(choice) = remind {
        let (user, _) = super::caller::caller(ctx).await?;
        return set_reminders(ctx, user, guild, choice).await;
    }
    let questions = question_count(ctx, questions)?;
    let solo = solo::prepare(ctx, "/review", "the review", None).await?;
    let request = solo.request(Vec::new(), DifficultyChoice::Mixed, questions);
    let (planned, items) = match data.runtime.plan_review(request).await? {
        ReviewPlan::Ready { planned, items } => (*planned, items),
        ReviewPlan::NothingDue { next_due } => {
            let when = next_due.map(relative);
            let text = present::review::nothing_due(when, "/interview start");
            ctx.send(reply::ephemeral(text)).await?;
            return Ok(());
        }
    };
    let title = format!("{} · review", solo.name);
    let ready = solo
        .open(ctx, planned, &title, private.unwrap_or(false))
        .await?;
    let text = format!("Your review of {} due question(s) is {ready}", items.len());
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
    let channel = match guild {
        Some(g) if on => store.guild_settings(g).await?.review_channel_id,
        _ => None,
    };
    let text = present::review::reminders_set(on, channel);
    ctx.send(reply::ephemeral(text)).await?;
    Ok(())
}
