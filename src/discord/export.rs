//! `/export session:<id>`: one of your finished interviews as a Markdown
//! file, sent ephemerally. The runtime checks it is yours.

use super::{reply, BotError, Context};
use crate::export::Format;
use crate::present;
use poise::serenity_prelude as serenity;

/// One of your finished interviews as a Markdown file (only you see it)
#[poise::command(slash_command, guild_only)]
#[tracing::instrument(skip_all, fields(user = ctx.author().id.get()))]
pub async fn export(
    ctx: Context<'_>,
    #[description = "The interview's number (pick from your recent ones as you type)"]
    #[autocomplete = "autocomplete_session"]
    #[min = 1]
    session: i64,
) -> Result<(), BotError> {
    ctx.defer_ephemeral().await?;
    let data = ctx.data();
    let store = data.runtime.store();
    let Some(user) = store.find_discord_user(ctx.author().id.get()).await? else {
        return Err(BotError::user(format!(
            "Interview #{session} is not one of yours: you can export only interviews you answered in."
        )));
    };
    let export = data.runtime.export(session, user).await?;
    let format = Format::Markdown;
    let file = serenity::CreateAttachment::bytes(
        format.render(&export).into_bytes(),
        export.file_name(format),
    );
    ctx.send(reply::ephemeral(present::reports::exported(session, &export)).attachment(file))
        .await?;
    Ok(())
}

/// Your 25 most recent interviews, newest first.
async fn autocomplete_session(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let store = ctx.data().runtime.store();
    let rows = match store.find_discord_user(ctx.author().id.get()).await {
        Ok(Some(user)) => store.history(user, 25).await.unwrap_or_default(),
        _ => Vec::new(),
    };
    let bank = ctx.data().runtime.bank_for(ctx.guild_id().map(|g| g.get()));
    let typed = partial.trim();
    let choices = rows
        .into_iter()
        .filter(|r| r.status != "running" && r.session_id.to_string().starts_with(typed))
        .map(|r| {
            let label = present::reports::session_choice(&bank, &r);
            serenity::AutocompleteChoice::new(label, r.session_id)
        })
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}
