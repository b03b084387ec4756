//! People leaving (only with `discord.member_events`, which needs the
//! privileged SERVER MEMBERS intent): whoever leaves the server, or an
//! interview's thread, leaves its session, so a panel stops waiting for them.

use super::{BotError, Data};
use crate::store::SessionId;
use poise::serenity_prelude as serenity;
use serenity::{GuildId, ThreadMembersUpdateEvent, User};

pub async fn left_server(data: &Data, guild: GuildId, user: &User) -> Result<(), BotError> {
    let store = data.runtime.store();
    let Some(who) = store.find_discord_user(user.id.get()).await? else {
        return Ok(());
    };
    for session in store.running_with(who, guild.get()).await? {
        leave(data, session, user.id.get()).await?;
    }
    Ok(())
}

pub async fn left_thread(data: &Data, update: &ThreadMembersUpdateEvent) -> Result<(), BotError> {
    let Some(session) = data.threads.get(update.id.get()) else {
        return Ok(());
    };
    for user in &update.removed_member_ids {
        leave(data, session, user.get()).await?;
    }
    Ok(())
}

async fn leave(data: &Data, session: SessionId, discord_id: u64) -> Result<(), BotError> {
    let Some(user) = data.runtime.store().find_discord_user(discord_id).await? else {
        return Ok(());
    };
    if data.runtime.leave(session, user).await? {
        tracing::info!(session_id = session, "a participant left");
    }
    Ok(())
}
