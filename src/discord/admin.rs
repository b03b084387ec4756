//! Admin commands (Manage Server by default): `/bank reload`, `/config`.

use super::render::{Card, BLUE};
use super::text::{self, channel_link};
use super::{reply, BotError, Context};
use crate::store::GuildSettings;
use poise::serenity_prelude as serenity;
use std::sync::Arc;

/// The question bank (admins)
#[poise::command(
    slash_command,
    subcommands("reload"),
    subcommand_required,
    default_member_permissions = "MANAGE_GUILD"
)]
pub async fn bank(_ctx: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Re-read the question bank; on errors the old bank stays in use
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub async fn reload(ctx: Context<'_>) -> Result<(), BotError> {
    ctx.defer_ephemeral().await?;
    require_manage_guild(ctx)?;
    let dir = ctx.data().bank_dir.clone();
    let loaded = tokio::task::spawn_blocking(move || crate::bank::load(&dir))
        .await
        .map_err(|e| BotError::Internal(anyhow::anyhow!("bank reload task failed: {e}")))?;
    match loaded {
        Ok(bank) => {
            let (q, t) = (bank.questions.len(), bank.topics.len());
            ctx.data().runtime.set_bank(Arc::new(bank));
            tracing::info!(questions = q, topics = t, "question bank reloaded");
            ctx.send(reply::ephemeral(format!(
                "Bank reloaded: {q} questions in {t} topics. New interviews use it now."
            )))
            .await?;
        }
        Err(errors) => {
            let first: Vec<String> = errors.0.iter().take(10).map(|p| format!("• {p}")).collect();
            let text = format!(
                "The bank has {} problem(s), so the old bank stays in use. First ones:\n{}",
                errors.0.len(),
                first.join("\n")
            );
            ctx.send(reply::ephemeral(text::truncate(&text, text::CONTENT)))
                .await?;
        }
    }
    Ok(())
}

/// Discord checks `default_member_permissions`, but a server can override
/// it; interviews' settings stay with Manage Server regardless.
fn require_manage_guild(ctx: Context<'_>) -> Result<(), BotError> {
    let allowed = match ctx {
        poise::Context::Application(a) => a
            .interaction
            .member
            .as_ref()
            .and_then(|m| m.permissions)
            .is_some_and(|p| p.manage_guild() || p.administrator()),
        poise::Context::Prefix(_) => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(BotError::user(
            "Only members with Manage Server can do this.",
        ))
    }
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
) -> Result<(), BotError> {
    ctx.defer_ephemeral().await?;
    require_manage_guild(ctx)?;
    let guild = ctx
        .guild_id()
        .ok_or_else(|| BotError::user("Run /config in a server."))?;
    let store = ctx.data().runtime.store();
    let mut settings: GuildSettings = store.guild_settings(guild.get()).await?;
    let changed = default_minutes.is_some() || channel.is_some() || interviewer_role.is_some();
    if let Some(m) = default_minutes {
        if !(1..=60).contains(&m) {
            return Err(BotError::user("Default minutes go from 1 to 60."));
        }
        settings.default_minutes = Some(m);
    }
    if let Some(c) = &channel {
        settings.interview_channel_id = Some(c.id.get());
    }
    if let Some(r) = &interviewer_role {
        settings.interviewer_role_id = Some(r.id.get());
    }
    if changed {
        store.set_guild_settings(guild.get(), &settings).await?;
    }
    let card = Card::new(
        if changed {
            "Settings saved"
        } else {
            "Settings"
        },
        "",
        BLUE,
    )
    .field(
        "Default minutes",
        &settings
            .default_minutes
            .map(|m| m.to_string())
            .unwrap_or_else(|| "per question (easy 3, medium 5, hard 8)".into()),
    )
    .field(
        "Interview channel",
        &settings
            .interview_channel_id
            .map(channel_link)
            .unwrap_or_else(|| "any".into()),
    )
    .field(
        "Interviewer role",
        &settings
            .interviewer_role_id
            .map(|r| format!("<@&{r}>"))
            .unwrap_or_else(|| "none (Manage Server only)".into()),
    );
    reply::send_card(ctx, card, true).await
}
