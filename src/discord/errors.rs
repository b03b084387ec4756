//! Errors meant for people (shown, ephemeral, saying what to do) kept apart
//! from internal ones (logged with their chain; the person gets an apology).

use super::{reply, Data};
use crate::runtime::RuntimeError;
use crate::store::StoreError;
use poise::serenity_prelude as serenity;

pub const APOLOGY: &str =
    "Sorry, something went wrong on our side. It has been logged; please try again in a moment.";

#[derive(Debug, thiserror::Error)]
pub enum BotError {
    /// Safe to show; says what to do.
    #[error("{0}")]
    User(String),
    /// Logged with its chain; never shown.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl BotError {
    pub fn user(msg: impl Into<String>) -> BotError {
        BotError::User(msg.into())
    }

    /// What the person sees; internal errors are logged here.
    pub fn shown(&self) -> String {
        match self {
            BotError::User(m) => m.clone(),
            BotError::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                APOLOGY.to_string()
            }
        }
    }
}

impl From<RuntimeError> for BotError {
    fn from(e: RuntimeError) -> Self {
        match e.user_message() {
            Some(m) => BotError::User(capitalise(&m)),
            None => BotError::Internal(anyhow::Error::new(e)),
        }
    }
}

impl From<StoreError> for BotError {
    fn from(e: StoreError) -> Self {
        BotError::from(RuntimeError::Store(e))
    }
}

impl From<serenity::Error> for BotError {
    fn from(e: serenity::Error) -> Self {
        BotError::Internal(anyhow::Error::new(e))
    }
}

impl From<anyhow::Error> for BotError {
    fn from(e: anyhow::Error) -> Self {
        BotError::Internal(e)
    }
}

pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// poise's error hook: user errors and bad options get an ephemeral message,
/// everything else is logged and apologised for.
pub async fn on_error(err: poise::FrameworkError<'_, Data, BotError>) {
    use poise::FrameworkError as F;
    match err {
        F::Command { error, ctx, .. } => {
            let text = error.shown();
            if let Err(e) = ctx.send(reply::ephemeral(text)).await {
                tracing::error!(error = ?e, "could not report an error to the user");
            }
        }
        F::ArgumentParse {
            error, input, ctx, ..
        } => {
            let what = input.map(|i| format!(" `{i}`")).unwrap_or_default();
            let text = format!(
                "That option{what} is not valid ({error}). Check the command's options and try again."
            );
            let _ = ctx.send(reply::ephemeral(text)).await;
        }
        F::EventHandler { error, event, .. } => {
            tracing::error!(error = ?error, event = event.snake_case_name(), "event handler failed");
        }
        F::Setup { error, .. } => {
            tracing::error!(error = ?error, "bot setup failed");
        }
        F::GuildOnly { ctx, .. } => {
            let _ = ctx
                .send(reply::ephemeral(
                    "This command works in a server, not in direct messages.",
                ))
                .await;
        }
        other => {
            if let Err(e) = poise::builtins::on_error(other).await {
                tracing::error!(error = ?e, "error while handling an error");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interview::EngineError;

    #[test]
    fn refusals_are_shown_and_store_failures_are_not() {
        let e: BotError = RuntimeError::Engine(EngineError::NoMoreHints).into();
        assert_eq!(e.shown(), "No more hints for this question");
        let e: BotError = StoreError::Conflict.into();
        assert_eq!(e.shown(), APOLOGY);
        let e: BotError = StoreError::AlreadyRunning(3).into();
        assert!(e.shown().contains("already have an interview"));
    }
}
