//! `/privacy hide|show|delete|ai` (`ai` lives in `ai_feedback`).

use super::ai_feedback::ai;
use super::respond::Answer;
use super::{reply, BotError, Context, Data};
use crate::present::action::Target;
use crate::present::{self, Button, Card, Style, GREY};
use crate::runtime::forget::Forgotten;

/// Your visibility on leaderboards, AI feedback, and deleting your data
#[poise::command(
    slash_command,
    subcommands("hide", "show", "delete", "ai"),
    subcommand_required
)]
pub async fn privacy(_ctx: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

async fn set_hidden(ctx: Context<'_>, hidden: bool) -> Result<(), BotError> {
    ctx.defer_ephemeral().await?;
    let store = ctx.data().runtime.store();
    let (user, _) = super::caller::caller(ctx).await?;
    store.set_hidden(user, hidden).await?;
    let text = if hidden {
        "You are now hidden from leaderboards (your own /stats still work). /privacy show undoes it."
    } else {
        "You are shown on leaderboards again."
    };
    ctx.send(reply::ephemeral(text)).await?;
    Ok(())
}

/// Leave yourself out of leaderboards
#[poise::command(slash_command)]
pub async fn hide(ctx: Context<'_>) -> Result<(), BotError> {
    set_hidden(ctx, true).await
}

/// Show yourself on leaderboards again
#[poise::command(slash_command)]
pub async fn show(ctx: Context<'_>) -> Result<(), BotError> {
    set_hidden(ctx, false).await
}

/// Delete everything the bot keeps about you (asks to confirm)
#[poise::command(slash_command)]
pub async fn delete(ctx: Context<'_>) -> Result<(), BotError> {
    let owner = ctx.author().id.get();
    let button = Button::new(
        Target::PrivacyDelete { owner },
        "Delete my data",
        Style::Danger,
    );
    ctx.send(
        reply::ephemeral(
            "This deletes your interviews, answers, scores and notes about you, for good. Press the button to confirm, or dismiss this message.",
        )
        .components(super::render::rows(&[vec![button]])),
    )
    .await?;
    Ok(())
}

/// The confirm button of `/privacy delete`: the runtime makes the person
/// leave what they are in, scrubs them and deletes them; this only words it.
pub async fn confirm_delete(data: &Data, presser: u64, owner: u64) -> Result<Answer, BotError> {
    if presser != owner {
        return Ok(Answer::Ephemeral(super::respond::NOT_YOURS.into()));
    }
    let forgotten = match data.runtime.store().find_discord_user(presser).await? {
        Some(user) => data.runtime.forget_person(user).await?,
        None => Forgotten::default(),
    };
    Ok(Answer::Update(
        vec![super::render::embed(&Card::new(
            "",
            &present::deleted(&forgotten),
            GREY,
        ))],
        Vec::new(),
    ))
}
