//! Admin commands: `/bank reload` (the bot's operators) and `/config`
//! (Manage Server).

use super::permissions;
use super::{reply, BotError, Context};
use crate::present;
use poise::serenity_prelude as serenity;

/// The question bank (bot operators)
#[poise::command(
    slash_command,
    subcommands("reload"),
    subcommand_required,
    default_member_permissions = "MANAGE_GUILD"
)]
pub async fn bank(_ctx: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Re-read the question bank (bot operators); on errors the old bank stays
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub async fn reload(ctx: Context<'_>) -> Result<(), BotError> {
    ctx.defer_ephemeral().await?;
    // One bank serves every server: a server's own admins may not swap it.
    permissions::require_operator(ctx).await?;
    let dir = ctx.data().config.bank_dir.clone();
    let reloaded = ctx.data().runtime.reload_bank(&dir).await?;
    let text = present::reports::reloaded(&reloaded, &dir);
    ctx.send(reply::ephemeral(text)).await?;
    Ok(())
}

/// Server settings for interviews (admins); no options shows them
#[poise::command(slash_command, guild_only, default_member_permissions = "MANAGE_GUILD")]
pub async fn config(
    ctx: Context<'_>,
    #[description = "Default minutes per question (1-60)"]
    #[min = 1]
    #[max = 60]
    default_minutes: Option<u32>,
    #[description = "The only channel where interviews may start"]
    #[channel_types("Text")]
    channel: Option<serenity::GuildChannel>,
    #[description = "Role of interviewers (may read and add notes about others)"]
    interviewer_role: Option<serenity::Role>,
    #[description = "Channel where review reminders are posted (else they go as DMs)"]
    #[channel_types("Text")]
    review_channel: Option<serenity::GuildChannel>,
    #[description = "AI feedback from the bot's model endpoint (shows where answers go)"]
    ai_feedback: Option<super::ai_feedback::OnOff>,
) -> Result<(), BotError> {
    ctx.defer_ephemeral().await?;
    permissions::require_manage_guild(ctx)?;
    let guild = ctx
        .guild_id()
        .ok_or_else(|| BotError::user("Run /config in a server."))?;
    if default_minutes.is_some_and(|m| !(1..=60).contains(&m)) {
        return Err(BotError::user("Default minutes go from 1 to 60."));
    }
    super::ai_feedback::check(ctx, ai_feedback)?;
    let store = ctx.data().runtime.store();
    let ai_line = super::ai_feedback::apply(ctx, store, guild.get(), ai_feedback).await?;
    let changed = default_minutes.is_some()
        || channel.is_some()
        || interviewer_role.is_some()
        || review_channel.is_some();
    let settings = if changed {
        // Only the fields given change, read and written under one write
        // lock: a second admin's /config at the same moment keeps theirs.
        store
            .update_guild_settings(guild.get(), |s| {
                if let Some(m) = default_minutes {
                    s.default_minutes = Some(m);
                }
                if let Some(c) = &channel {
                    s.interview_channel_id = Some(c.id.get());
                }
                if let Some(r) = &interviewer_role {
                    s.interviewer_role_id = Some(r.id.get());
                }
                if let Some(c) = &review_channel {
                    s.review_channel_id = Some(c.id.get());
                }
            })
            .await?
    } else {
        store.guild_settings(guild.get()).await?
    };
    let saved = changed || ai_feedback.is_some();
    let card = present::reports::settings(&settings, saved, &ai_line);
    reply::send_card(ctx, card, true).await
}
