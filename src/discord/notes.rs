//! `/notes`, `/note add`, `/note resolve`.

use super::options::StatusOption;
use super::{reply, BotError, Context};
use crate::present;
use crate::runtime::notes::checked_note;
use crate::store::NoteFilter;
use poise::serenity_prelude as serenity;

/// Whether the caller may read or write notes about someone else: the
/// server's moderators (the interviewer role, or Manage Server).
async fn may_handle_others(ctx: Context<'_>) -> Result<bool, BotError> {
    let member = ctx.author_member().await;
    super::permissions::moderates(ctx.data().runtime.store(), member.as_deref()).await
}

/// Follow-up notes saved for you (or, for interviewers, someone else)
#[poise::command(slash_command, guild_only)]
pub async fn notes(
    ctx: Context<'_>,
    #[description = "Whose notes (default: yours)"] user: Option<serenity::User>,
    #[description = "open, resolved or all (default open)"] status: Option<StatusOption>,
) -> Result<(), BotError> {
    ctx.defer_ephemeral().await?;
    let who = user.as_ref().unwrap_or_else(|| ctx.author());
    if who.id != ctx.author().id && !may_handle_others(ctx).await? {
        return Err(BotError::user(
            "Only interviewers (the role set with /config) can read other people's notes.",
        ));
    }
    let store = ctx.data().runtime.store();
    let filter = NoteFilter::from(status.unwrap_or(StatusOption::Open));
    let rows = match store.find_discord_user(who.id.get()).await? {
        Some(u) => {
            store
                .notes(u, ctx.guild_id().map(|g| g.get()), filter, 50)
                .await?
        }
        None => Vec::new(),
    };
    let card = present::reports::notes(who.display_name(), &rows);
    reply::send_card(ctx, card, true).await
}

/// Add or resolve follow-up notes
#[poise::command(
    slash_command,
    guild_only,
    subcommands("add", "resolve"),
    subcommand_required
)]
pub async fn note(_ctx: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Save a note for yourself, or (interviewers) about a candidate
#[poise::command(slash_command, guild_only)]
pub async fn add(
    ctx: Context<'_>,
    #[description = "The note"]
    #[max_length = 1000]
    text: String,
    #[description = "Who the note is about (default: you)"] user: Option<serenity::User>,
) -> Result<(), BotError> {
    ctx.defer_ephemeral().await?;
    let author = ctx.author();
    let subject = user.as_ref().unwrap_or(author);
    let about_someone_else = subject.id != author.id;
    let moderator = about_someone_else && may_handle_others(ctx).await?;
    let text = checked_note(&text, about_someone_else, moderator)?;
    let data = ctx.data();
    let store = data.runtime.store();
    let author_id = store
        .discord_user(author.id.get(), author.display_name())
        .await?;
    let subject_id = store
        .discord_user(subject.id.get(), subject.display_name())
        .await?;
    let guild = ctx.guild_id().map(|g| g.get());
    let now = data.runtime.now();
    let id = (store.add_note(guild, subject_id, Some(author_id), &text, now)).await?;
    ctx.send(reply::ephemeral(format!("Note #{id} saved.")))
        .await?;
    Ok(())
}

/// Mark one of your notes (or one you wrote) resolved
#[poise::command(slash_command, guild_only)]
pub async fn resolve(
    ctx: Context<'_>,
    #[description = "The note's number (shown by /notes)"]
    #[min = 1]
    id: i64,
) -> Result<(), BotError> {
    ctx.defer_ephemeral().await?;
    let runtime = &ctx.data().runtime;
    let me = runtime
        .store()
        .find_discord_user(ctx.author().id.get())
        .await?;
    runtime.resolve_note_by(me, id).await?;
    ctx.send(reply::ephemeral(format!("Note #{id} resolved.")))
        .await?;
    Ok(())
}
