//! What the bot may do in a channel, as the interaction reports it: asking
//! Discord for a thread it would refuse costs an invalid request (too many
//! bring a temporary ban).

use super::BotError;
use crate::store::Store;
use poise::serenity_prelude as serenity;

/// Refuses where the bot may not open threads or post in them.
pub fn check_thread_permissions(may: Option<serenity::Permissions>) -> Result<(), BotError> {
    if may.is_some_and(|p| !p.create_public_threads() || !p.send_messages_in_threads()) {
        return Err(BotError::user(
            "I may not open threads here: ask an admin to give me Create Public Threads and Send Messages in Threads in this channel, or use another channel.",
        ));
    }
    Ok(())
}

/// Whether a private thread may be opened (unknown permissions: try it).
pub fn private_threads_allowed(may: Option<serenity::Permissions>) -> bool {
    !matches!(may, Some(p) if !p.create_private_threads())
}

/// Whether a member moderates the server's sessions: Manage Server (or
/// Administrator), or the server's interviewer role.
pub async fn moderates(store: &Store, member: Option<&serenity::Member>) -> Result<bool, BotError> {
    let Some(member) = member else {
        return Ok(false);
    };
    if member
        .permissions
        .is_some_and(|p| p.manage_guild() || p.administrator())
    {
        return Ok(true);
    }
    let settings = store.guild_settings(member.guild_id.get()).await?;
    Ok(settings
        .interviewer_role_id
        .is_some_and(|role| member.roles.iter().any(|r| r.get() == role)))
}
