//! Daily review reminders (`/review remind:on`): "3 questions are due",
//! in the server's review channel (`/config review_channel`) or as a DM.
//! The runtime decides who is reminded and claims the day first; this only
//! posts. In the channel the person is named with a mention that pings
//! nobody (allowed mentions stay empty, as on everything the bot posts).

use crate::runtime::{Reminder, Runtime};
use poise::serenity_prelude as serenity;
use serenity::{ChannelId, CreateMessage, Http, UserId};
use std::sync::Arc;

/// Sends the runtime's due reminders, forever.
pub async fn run(runtime: Runtime, http: Arc<Http>) {
    runtime.send_reminders(|r| post(&http, r)).await
}

async fn post(http: &Http, r: Reminder) -> Result<(), serenity::Error> {
    let who = UserId::new(r.target.discord_id);
    let text = crate::present::review::reminder(r.due);
    match r.channel {
        Some(c) => {
            let message = CreateMessage::new()
                .content(format!("<@{}> {text}", who.get()))
                .allowed_mentions(super::reply::no_mentions());
            ChannelId::new(c).send_message(http, message).await?;
        }
        None => {
            let dm = who.create_dm_channel(http).await?;
            let message = CreateMessage::new()
                .content(text)
                .allowed_mentions(super::reply::no_mentions());
            dm.id.send_message(http, message).await?;
        }
    }
    Ok(())
}
