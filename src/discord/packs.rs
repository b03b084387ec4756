//! `/pack import|list|export|remove`: a server's own question pack. The
//! bank checks it and the runtime stores it and swaps the server's bank;
//! this module only fetches the attachment and shows the outcome.

use super::text::{self, truncate};
use super::{permissions, reply, BotError, Context};
use crate::bank::{pack, BankErrors, PACK_MAX_BYTES};
use poise::serenity_prelude as serenity;
use std::time::Duration;

/// How long fetching an attachment from Discord's CDN may take.
const DOWNLOAD_LIMIT: Duration = Duration::from_secs(20);
/// Problems listed in the message itself; all of them go in problems.txt.
const LISTED: usize = 8;

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
    let name = display_name(&file.filename);
    let bytes = download(&file, &name).await?;
    let imported = ctx
        .data()
        .runtime
        .import_pack(guild, &name, bytes, Some(ctx.author().id.get()))
        .await?;
    match imported {
        Ok(done) => {
            let topics: Vec<String> = done
                .by_topic
                .iter()
                .map(|(t, n)| {
                    let own = if done.new_topics.contains(t) {
                        " (new)"
                    } else {
                        ""
                    };
                    format!("`{t}` {n}{own}")
                })
                .collect();
            let replaced = done
                .replaced
                .map(|n| format!(" It replaces the previous pack ({n} questions)."))
                .unwrap_or_default();
            ctx.send(reply::ephemeral(format!(
                "Imported `{name}`: {} questions ({}).{replaced} This server's /topics, /question, interviews, panels and reviews use them now.",
                done.questions,
                topics.join(", ")
            )))
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
    let s = &held.stored;
    let by = s
        .imported_by
        .map(|u| format!("by <@{u}> "))
        .unwrap_or_default();
    let mut lines = vec![format!(
        "`{}`: {} questions, imported {by}<t:{}:R>.",
        s.file_name,
        s.questions,
        s.imported_at.millis() / 1000
    )];
    match &held.built {
        Ok((p, bank)) => {
            for (topic, n) in p.counts_by_topic() {
                let own = if p.topics.contains_key(topic) { " (this server's own)" } else { "" };
                lines.push(format!("• **{}** (`{topic}`{own}): {n}", bank.topic_title(topic)));
            }
        }
        Err(problems) => lines.push(format!(
            "It no longer fits the shipped bank ({} problem(s), first: {}), so this server sees the shipped questions only: /pack export it, fix it and import it again.",
            problems.len(),
            problems.first().map(ToString::to_string).unwrap_or_default()
        )),
    }
    ctx.send(reply::ephemeral(text::truncate(
        &lines.join("\n"),
        text::CONTENT,
    )))
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
    let text = match ctx.data().runtime.remove_pack(guild).await? {
        Some(old) => format!(
            "Removed `{}` ({} questions): this server sees the shipped questions only. /pack import brings a pack back.",
            old.file_name, old.questions
        ),
        None => "This server has no question pack: nothing to remove.".to_string(),
    };
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

/// The attachment's name as problems show it: no path, no markdown ticks.
fn display_name(filename: &str) -> String {
    let base = filename.rsplit(['/', '\\']).next().unwrap_or(filename);
    let clean: String = base
        .chars()
        .filter(|c| *c != '`' && !c.is_control())
        .collect();
    if clean.is_empty() {
        "pack.yaml".into()
    } else {
        truncate(&clean, 100)
    }
}

/// Whether Discord's media type for the file can be a text file. Unknown
/// and generic types are let through: the bytes are checked as UTF-8 text.
fn may_be_text(content_type: Option<&str>) -> bool {
    let Some(t) = content_type else { return true };
    let media = t
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    media.starts_with("text/")
        || matches!(
            media.as_str(),
            "application/yaml"
                | "application/x-yaml"
                | "application/json"
                | "application/octet-stream"
        )
}

/// The attachment's bytes, refused early when it is too large or not text;
/// the download stops at the cap whatever size Discord announced.
async fn download(file: &serenity::Attachment, name: &str) -> Result<Vec<u8>, BotError> {
    let refuse = |why: String| BotError::user(format!("Nothing was imported: `{name}`: {why}"));
    if file.size as usize > PACK_MAX_BYTES {
        return Err(refuse(pack::too_large(file.size as usize)));
    }
    if !may_be_text(file.content_type.as_deref()) {
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
    let n = problems.0.len();
    let head = format!(
        "`{name}` has {n} problem{}, so nothing was imported and this server's pack stays as it was. Fix {} and import it again:",
        if n == 1 { "" } else { "s" },
        if n == 1 { "it" } else { "them" }
    );
    let listed: Vec<String> = problems
        .0
        .iter()
        .take(LISTED)
        .map(|p| format!("• {p}"))
        .collect();
    let mut body = format!("{head}\n{}", listed.join("\n"));
    let long = n > LISTED || body.chars().count() > text::CONTENT;
    if long {
        body = format!(
            "{}\n… all {n} are in problems.txt.",
            truncate(&body, text::CONTENT - 40)
        );
    }
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
