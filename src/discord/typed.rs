//! Answers typed in the thread (only with the MESSAGE CONTENT intent):
//! each message from the candidate is added to the current answer; the
//! Submit button (or the deadline) closes it.

use super::{BotError, Data};
use crate::interview::{Actor, Control, Press};
use crate::time::Timestamp;
use poise::serenity_prelude as serenity;

/// Discord's epoch (2015-01-01) in Unix milliseconds: a message id holds the
/// millisecond it was sent.
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

pub async fn on_message(data: &Data, m: &serenity::Message) -> Result<(), BotError> {
    if m.author.bot || m.content.trim().is_empty() {
        return Ok(());
    }
    let Some(session) = data.threads.get(m.channel_id.get()) else {
        return Ok(());
    };
    let Some(by) = data
        .runtime
        .store()
        .find_discord_user(m.author.id.get())
        .await?
    else {
        return Ok(());
    };
    // The engine refuses a message sent before the current question was
    // asked, so text meant for a closed question never lands on the next.
    let sent_at = Timestamp(i64::try_from((m.id.get() >> 22) + DISCORD_EPOCH_MS).unwrap_or(0));
    let press = Press {
        position: None,
        control: Control::Typed {
            text: m.content.clone(),
            sent_at,
        },
    };
    if let Err(e) = data.runtime.press(session, Actor::person(by), press).await {
        tracing::info!(error = %e, "a typed message was not taken as an answer");
    }
    Ok(())
}
