//! Daily review reminders (`/review remind:on`): "3 questions are due",
//! in the server's review channel (`/config review_channel`) or as a DM.
//! The runtime decides who is reminded and claims the day first; this only
//! posts. In the channel the person is named with a mention that pings
//! nobody (allowed mentions stay empty, as on everything the bot posts).

use crate::runtime::{Reminder, Runtime};
use poise::serenity_prelude as serenity;
use serenity::{ChannelId, CreateMessage, Http, UserId};
use std::sync::Arc;
use std::time::Duration;

/// How often (on the runtime's clock) the reminders are checked. A day's
/// reminder goes out at the first check of that UTC day with questions due.
pub const CHECK_EVERY: Duration = Duration::from_secs(60 * 60);

/// Checks now, then every `CHECK_EVERY` of the runtime's clock, forever.
pub async fn run(runtime: Runtime, http: Arc<Http>) {
    loop {
        check(&runtime, &http).await;
        let next = runtime.now().plus(CHECK_EVERY);
        runtime.clock().sleep_until(next).await;
    }
}

async fn check(runtime: &Runtime, http: &Http) {
    let reminders = match runtime.claim_reminders().await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "could not read the review reminders");
            return;
        }
    };
    for r in reminders {
        if let Err(e) = post(runtime, http, &r).await {
            tracing::warn!(error = ?e, user = r.target.user.0, "could not post a review reminder");
        }
    }
}

async fn post(runtime: &Runtime, http: &Http, r: &Reminder) -> Result<(), serenity::Error> {
    let who = UserId::new(r.target.discord_id);
    let channel = match r.target.guild_id {
        Some(g) => runtime
            .store()
            .guild_settings(g)
            .await
            .ok()
            .and_then(|s| s.review_channel_id),
        None => None,
    };
    let text = crate::present::review::reminder(r.due);
    match channel {
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
