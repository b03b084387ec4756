//! Answers typed in the thread (only with the MESSAGE CONTENT intent):
//! each message from the candidate is added to the current answer; the
//! Submit button (or the deadline) closes it.

use super::{BotError, Data};
use crate::interview::{Event, Phase};
use poise::serenity_prelude as serenity;

pub async fn on_message(data: &Data, m: &serenity::Message) -> Result<(), BotError> {
    if m.author.bot || m.content.trim().is_empty() {
        return Ok(());
    }
    let Some(session) = data.threads.get(m.channel_id.get()) else {
        return Ok(());
    };
    let store = data.runtime.store();
    let Some(by) = store.find_discord_user(m.author.id.get()).await? else {
        return Ok(());
    };
    let lock = data.locks.get(session);
    let _guard = lock.lock().await;
    let s = data.runtime.session(session).await?;
    let is_candidate = s.state.current().is_some_and(|c| c.candidate == by);
    if !is_candidate || !matches!(s.state.phase, Phase::Answering { .. }) {
        return Ok(());
    }
    let text = m.content.clone();
    if let Err(e) = data
        .runtime
        .handle(session, Event::Answer { by, text })
        .await
    {
        tracing::info!(error = %e, "a typed answer was not taken");
    }
    Ok(())
}
