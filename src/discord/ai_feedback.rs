//! The Discord side of AI feedback: the server switch behind `/config
//! ai_feedback` and `/privacy ai`. The reviewer itself lives in `crate::ai`;
//! this only words what it does and stores the choices.

use super::{reply, BotError, Context};
use crate::config::Config;
use crate::runtime::Runtime;
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, poise::ChoiceParameter)]
pub enum OnOff {
    #[name = "on"]
    On,
    #[name = "off"]
    Off,
}

/// Gives the runtime the reviewer `ai.*` describes, if any. A client that
/// cannot be built leaves the bot running on the rubric alone.
pub fn attach_reviewer(runtime: &Runtime, config: &Config, store: Store) {
    match crate::ai::Reviewer::from_config(&config.ai, store) {
        Ok(Some(r)) => {
            tracing::info!(endpoint = %r.host(), model = %r.model(), "AI feedback available");
            runtime.set_reviewer(std::sync::Arc::new(r));
        }
        Ok(None) => {}
        Err(e) => tracing::error!(error = %e, "AI feedback is off: its client could not be built"),
    }
}

const NO_ENDPOINT: &str = "AI feedback needs a model endpoint, which the bot's operator sets (`ai.base_url`); this bot has none, so nothing was changed.";

/// Checks a `/config ai_feedback` choice before anything is saved: turning
/// it on needs an endpoint.
pub fn check(ctx: Context<'_>, choice: Option<OnOff>) -> Result<(), BotError> {
    if choice == Some(OnOff::On) && ctx.data().runtime.reviewer().is_none() {
        return Err(BotError::user(NO_ENDPOINT));
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
    Ok(match (on, ctx.data().runtime.reviewer()) {
        (true, Some(r)) => format!(
            "on: each written answer in a solo interview, with its question, key points and model answer, is sent to **{}** (model `{}`) for a second opinion. People can opt out with `/privacy ai feedback:off`",
            r.host(),
            r.model()
        ),
        (true, None) => "on, but the bot has no model endpoint now, so the rubric alone grades".into(),
        (false, _) => "off (the rubric alone grades)".into(),
    })
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
    let text = explain(
        reviewer.as_deref().map(|r| (r.host(), r.model())),
        server_on,
        opted_out,
    );
    ctx.send(reply::ephemeral(text)).await?;
    Ok(())
}

fn explain(endpoint: Option<(&str, &str)>, server_on: bool, opted_out: bool) -> String {
    let Some((host, model)) = endpoint else {
        return "This bot has no AI model configured: answers are graded by the bot's own rubric and never leave it.".into();
    };
    let yours = if opted_out {
        "**off**: your answers are never sent to the model. `/privacy ai feedback:on` undoes it."
    } else {
        "**on** where a server turned it on. `/privacy ai feedback:off` keeps your answers from being sent."
    };
    format!(
        "When a server turns AI feedback on (`/config ai_feedback:on`), each answer you write in a solo interview is sent, with its question, key points and model answer, to **{host}** (model `{model}`), which returns a second opinion shown beside the rubric's. Nothing else is sent: not your name, not your Discord id. Replies are cached by question and answer text, so the same answer is not sent twice; `/privacy delete` removes the cached ones of yours.\nThis server: **{}**. You: {yours}",
        if server_on { "on" } else { "off" }
    )
}
