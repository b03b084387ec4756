//! `/pack import|list|export|remove`: a server's own question pack. The
//! bank checks it and the runtime stores it and swaps the server's bank;
//! this module only fetches the attachment and shows the outcome.

use super::{permissions, reply, BotError, Context};
use crate::bank::{pack, BankErrors, PACK_MAX_BYTES};
use crate::present;
use poise::serenity_prelude as serenity;
use std::time::Duration;

/// How long fetching an attachment from Discord's CDN may take.
const DOWNLOAD_LIMIT: Duration = Duration::from_secs(20);

/// This server's own question pack (Manage Server or the interviewer role)
#[poise::command(
    slash_command,
    guild_only,
    subcommands("import_pack", "list_pack", "export_pack", "remove_pack"),
    subcommand_required
)]
pub async fn pack(_ctx: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Import a YAML pack of questions for this server (replaces its pack)
#[poise::command(slash_command, guild_only, rename = "import")]
pub async fn import_pack(
    ctx: Context<'_>,
    #[description = "A YAML file in the bank's question format (check it with `interview-bot bank check FILE`)"]
    file: serenity::Attachment,
) -> Result<(), BotError> {
    ctx.defer_ephemeral().await?;
    let guild = require_pack_admin(ctx).await?;
    let name = pack::display_name(&file.filename);
    let bytes = download(&file, &name).await?;
    let imported = ctx
        .data()
        .runtime
        .import_pack(guild, &name, bytes, Some(ctx.author().id.get()))
        .await?;
    match imported {
        Ok(done) => {
            ctx.send(reply::ephemeral(present::packs::imported(&name, &done)))
                .await?;
        }
        Err(problems) => send_problems(ctx, &name, &problems).await?,
    }
    Ok(())
}

/// This server's pack: its file, questions, topics and who imported it
#[poise::command(slash_command, guild_only, rename = "list")]
pub async fn list_pack(ctx: Context<'_>) -> Result<(), BotError> {
    ctx.defer_ephemeral().await?;
    let guild = require_pack_admin(ctx).await?;
    let Some(held) = ctx.data().runtime.pack(guild).await? else {
        ctx.send(reply::ephemeral(
            "This server has no question pack. Import one with /pack import (check the file first with `interview-bot bank check FILE`).",
        ))
        .await?;
        return Ok(());
    };
    ctx.send(reply::ephemeral(present::packs::listing(&held)))
        .await?;
    Ok(())
}

/// This server's pack as a file, exactly as it was imported
#[poise::command(slash_command, guild_only, rename = "export")]
pub async fn export_pack(ctx: Context<'_>) -> Result<(), BotError> {
    ctx.defer_ephemeral().await?;
    let guild = require_pack_admin(ctx).await?;
    let Some(held) = ctx.data().runtime.pack(guild).await? else {
        return Err(BotError::user(
            "This server has no question pack to export: import one with /pack import.",
        ));
    };
    let s = held.stored;
    let file = serenity::CreateAttachment::bytes(s.yaml.into_bytes(), s.file_name.clone());
    ctx.send(
        reply::ephemeral(format!(
            "This server's pack `{}` ({} questions), as imported.",
            s.file_name, s.questions
        ))
        .attachment(file),
    )
    .await?;
    Ok(())
}

/// Remove this server's pack; its questions leave this server's bank
#[poise::command(slash_command, guild_only, rename = "remove")]
pub async fn remove_pack(ctx: Context<'_>) -> Result<(), BotError> {
    ctx.defer_ephemeral().await?;
    let guild = require_pack_admin(ctx).await?;
    let removed = ctx.data().runtime.remove_pack(guild).await?;
    let text = present::packs::removed(removed.as_ref());
    ctx.send(reply::ephemeral(text)).await?;
    Ok(())
}

/// The server's moderators (Manage Server or the interviewer role) manage
/// its pack; returns the server.
async fn require_pack_admin(ctx: Context<'_>) -> Result<u64, BotError> {
    let guild = ctx
        .guild_id()
        .ok_or_else(|| BotError::user("Question packs belong to a server: run this in one."))?;
    let member = match ctx {
        poise::Context::Application(a) => a.interaction.member.as_deref(),
        poise::Context::Prefix(_) => None,
    };
    if !permissions::moderates(ctx.data().runtime.store(), member).await? {
        return Err(BotError::user(
            "Only members with Manage Server or this server's interviewer role can manage its question pack.",
        ));
    }
    Ok(guild.get())
}

/// The attachment's bytes, refused early when it is too large or not text;
/// the download stops at the cap whatever size Discord announced.
async fn download(file: &serenity::Attachment, name: &str) -> Result<Vec<u8>, BotError> {
    let refuse = |why: String| BotError::user(format!("Nothing was imported: `{name}`: {why}"));
    if file.size as usize > PACK_MAX_BYTES {
        return Err(refuse(pack::too_large(file.size as usize)));
    }
    if !pack::may_be_text(file.content_type.as_deref()) {
        return Err(refuse(pack::NOT_TEXT.to_string()));
    }
    let failed = |e: reqwest::Error| {
        BotError::Internal(anyhow::anyhow!(
            "downloading a pack attachment: {}",
            e.without_url()
        ))
    };
    let client = reqwest::Client::builder()
        .timeout(DOWNLOAD_LIMIT)
        .build()
        .map_err(failed)?;
    let mut response = client
        .get(&file.url)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(failed)?;
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(failed)? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > PACK_MAX_BYTES {
            return Err(refuse(pack::too_large(bytes.len())));
        }
    }
    Ok(bytes)
}

/// Every problem, each `file:line: what to fix`: the first few in the
/// message, all of them in an attached problems.txt when there are more.
async fn send_problems(
    ctx: Context<'_>,
    name: &str,
    problems: &BankErrors,
) -> Result<(), BotError> {
    let (body, long) = present::packs::problems(name, problems);
    let mut message = reply::ephemeral(body);
    if long {
        let all = problems.describe(name);
        message = message.attachment(serenity::CreateAttachment::bytes(
            all.into_bytes(),
            "problems.txt",
        ));
    }
    ctx.send(message).await?;
    Ok(())
}
