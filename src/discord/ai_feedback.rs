//! The Discord side of AI feedback: the server switch behind `/config
//! ai_feedback` and `/privacy ai`. The reviewer itself lives in `crate::ai`,
//! its wording in `present::ai`; this stores the choices.

use super::{reply, BotError, Context};
use crate::present;
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, poise::ChoiceParameter)]
pub enum OnOff {
    #[name = "on"]
    On,
    #[name = "off"]
    Off,
}

/// Checks a `/config ai_feedback` choice before anything is saved: turning
/// it on needs an endpoint.
pub fn check(ctx: Context<'_>, choice: Option<OnOff>) -> Result<(), BotError> {
    if choice == Some(OnOff::On) && ctx.data().runtime.reviewer().is_none() {
        return Err(BotError::user(present::ai::NO_ENDPOINT));
    }
    Ok(())
}

/// Saves the choice (if any) and returns the settings line: on says who
/// receives the answers.
pub async fn apply(
    ctx: Context<'_>,
    store: &Store,
    guild: u64,
    choice: Option<OnOff>,
) -> Result<String, BotError> {
    if let Some(c) = choice {
        store.set_ai_enabled(guild, c == OnOff::On).await?;
    }
    let on = store.ai_enabled(guild).await?;
    Ok(present::ai::server_line(
        on,
        ctx.data().runtime.reviewer().as_deref(),
    ))
}

/// What AI feedback sends where, and your own choice
#[poise::command(slash_command, rename = "ai")]
pub async fn ai(
    ctx: Context<'_>,
    #[description = "Turn AI feedback on your answers off (or back on)"] feedback: Option<OnOff>,
) -> Result<(), BotError> {
    ctx.defer_ephemeral().await?;
    let data = ctx.data();
    let store = data.runtime.store();
    let (user, _) = super::caller::caller(ctx).await?;
    if let Some(c) = feedback {
        store.set_ai_opt_out(user, c == OnOff::Off).await?;
    }
    let opted_out = store.ai_opted_out(user).await?;
    let server_on = match ctx.guild_id() {
        Some(g) => store.ai_enabled(g.get()).await?,
        None => false,
    };
    let reviewer = data.runtime.reviewer();
    let text = present::ai::explain(
        reviewer.as_deref().map(|r| (r.host(), r.model())),
        server_on,
        opted_out,
    );
    ctx.send(reply::ephemeral(text)).await?;
    Ok(())
}
