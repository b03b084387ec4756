//! People leaving (only with `discord.member_events`, which needs the
//! privileged SERVER MEMBERS intent): whoever leaves the server, or an
//! interview's thread, leaves its session, so a panel stops waiting for them.

use super::deliver::Poster;
use super::{BotError, Data};
use crate::interview::Event;
use crate::store::SessionId;
use poise::serenity_prelude as serenity;
use serenity::{GuildId, Http, ThreadMembersUpdateEvent, User};

pub async fn left_server(
    http: &Http,
    data: &Data,
    guild: GuildId,
    user: &User,
) -> Result<(), BotError> {
    let store = data.runtime.store();
    let Some(who) = store.find_discord_user(user.id.get()).await? else {
        return Ok(());
    };
    for session in store.running_with(who, guild.get()).await? {
        leave(http, data, session, user.id.get()).await?;
    }
    Ok(())
}

pub async fn left_thread(
    http: &Http,
    data: &Data,
    update: &ThreadMembersUpdateEvent,
) -> Result<(), BotError> {
    let Some(session) = data.threads.get(update.id.get()) else {
        return Ok(());
    };
    for user in &update.removed_member_ids {
        leave(http, data, session, user.get()).await?;
    }
    Ok(())
}

async fn leave(
    http: &Http,
    data: &Data,
    session: SessionId,
    discord_id: u64,
) -> Result<(), BotError> {
    let Some(user) = data.runtime.store().find_discord_user(discord_id).await? else {
        return Ok(());
    };
    let d = data.runtime.handle(session, Event::Leave { user }).await?;
    if d.effects.is_empty() {
        return Ok(()); // not a participant, or already gone
    }
    tracing::info!(session_id = session, "a participant left");
    let poster = Poster {
        runtime: data.runtime.clone(),
        threads: std::sync::Arc::clone(&data.threads),
        message_content: data.config.discord.message_content,
    };
    poster.post(http, &d).await
}
