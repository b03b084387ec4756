//! Errors meant for people (shown, ephemeral, saying what to do) kept apart
//! from internal ones (logged with their chain; the person gets an apology).

use super::{reply, Data};
use crate::present::text::capitalise;
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

/// poise's error hook: user errors and bad options get an ephemeral message,
/// everything else is logged and apologised for.
pub async fn on_error(err: poise::FrameworkError<'_, Data, BotError>) {
    use poise::FrameworkError as F;
    match err {
        F::Command { error, ctx, .. } => {
            if matches!(error, BotError::Internal(_)) {
                ctx.data().runtime.metrics().error("internal");
            }
            let text = error.shown();
            if let Err(e) = ctx.send(reply::ephemeral(text)).await {
                tracing::error!(error = ?e, "could not report an error to the user");
            }
        }
        // poise's own text ("received out of bounds integer", an HTTP
        // error) means nothing to the person: say which option and what it
        // takes. Both come from a client whose copy of the command is older
        // than what the bot registered, or from a value Discord let through.
        F::ArgumentParse {
            error, input, ctx, ..
        } => {
            tracing::info!(error = %error, command = %ctx.command().qualified_name, "an option could not be read");
            ctx.data().runtime.metrics().error("option");
            let text = bad_option(ctx, input.as_deref());
            if let Err(e) = ctx.send(reply::ephemeral(text)).await {
                tracing::error!(error = ?e, "could not report a bad option to the user");
            }
        }
        F::CommandStructureMismatch {
            ctx, description, ..
        } => {
            tracing::warn!(
                description,
                command = %ctx.command().qualified_name,
                "options do not match the command (an outdated registration?)"
            );
            let ctx = poise::Context::Application(ctx);
            if let Err(e) = ctx.send(reply::ephemeral(bad_option(ctx, None))).await {
                tracing::error!(error = ?e, "could not report a bad option to the user");
            }
        }
        F::EventHandler {
            error,
            event,
            framework,
            ..
        } => {
            framework.user_data.runtime.metrics().error("event_handler");
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

/// Names the option that could not be used and what it takes.
fn bad_option(ctx: poise::Context<'_, Data, BotError>, input: Option<&str>) -> String {
    let command = &ctx.command().qualified_name;
    let poise::Context::Application(app) = ctx else {
        return format!("One of the options is not valid: check them and run /{command} again.");
    };
    let schema: Vec<serde_json::Value> = ctx
        .command()
        .parameters
        .iter()
        .filter_map(|p| p.create_as_slash_command_option())
        .filter_map(|o| serde_json::to_value(o).ok())
        .collect();
    let given = leaf_options(app.interaction.data.options());
    let schema_of = |name: &str| schema.iter().find(|o| o["name"] == name);
    // The first value its option does not take; else the one poise quoted;
    // else one it had to look up (a member, channel or role).
    let culprit = given
        .iter()
        .find(|o| schema_of(o.name).is_some_and(|s| !accepts(s, &o.value)))
        .or_else(|| {
            given.iter().find(|o| {
                input.is_some_and(
                    |i| matches!(o.value, serenity::ResolvedValue::String(s) if s == i),
                )
            })
        })
        .or_else(|| {
            given.iter().find(|o| {
                schema_of(o.name).is_some_and(|s| matches!(s["type"].as_u64(), Some(6..=9)))
            })
        });
    match culprit.and_then(|o| Some((o.name, schema_of(o.name)?))) {
        Some((name, s)) => format!(
            "The `{name}` option takes {}. Fix it and run /{command} again.",
            takes(s)
        ),
        None => format!("One of the options is not valid: check them and run /{command} again."),
    }
}

/// The options of the subcommand that ran, without the command levels.
fn leaf_options(options: Vec<serenity::ResolvedOption<'_>>) -> Vec<serenity::ResolvedOption<'_>> {
    let mut out = Vec::new();
    for o in options {
        match o.value {
            serenity::ResolvedValue::SubCommand(inner)
            | serenity::ResolvedValue::SubCommandGroup(inner) => out.extend(leaf_options(inner)),
            _ => out.push(o),
        }
    }
    out
}

/// Whether `value` is what the registered option `s` (Discord's JSON) takes.
fn accepts(s: &serde_json::Value, value: &serenity::ResolvedValue<'_>) -> bool {
    use serenity::ResolvedValue as V;
    let in_range = |x: f64| {
        s["min_value"].as_f64().map_or(true, |m| x >= m)
            && s["max_value"].as_f64().map_or(true, |m| x <= m)
    };
    let choices = s["choices"].as_array().filter(|c| !c.is_empty());
    let chosen = |v: serde_json::Value| choices.map_or(true, |c| c.iter().any(|c| c["value"] == v));
    match (s["type"].as_u64(), value) {
        (Some(3), V::String(t)) => {
            let n = t.chars().count() as u64;
            s["min_length"].as_u64().map_or(true, |m| n >= m)
                && s["max_length"].as_u64().map_or(true, |m| n <= m)
                && chosen(serde_json::json!(t))
        }
        (Some(4), V::Integer(x)) => in_range(*x as f64) && chosen(serde_json::json!(x)),
        (Some(10), V::Number(x)) => in_range(*x),
        (Some(5), V::Boolean(_)) | (Some(6), V::User(..)) | (Some(8), V::Role(_)) => true,
        (Some(7), V::Channel(c)) => s["channel_types"].as_array().map_or(true, |t| {
            t.iter()
                .any(|k| k.as_u64() == Some(u64::from(u8::from(c.kind))))
        }),
        _ => false,
    }
}

/// What the registered option `s` takes, in words.
fn takes(s: &serde_json::Value) -> String {
    if let Some(c) = s["choices"].as_array().filter(|c| !c.is_empty()) {
        let names: Vec<&str> = c.iter().filter_map(|c| c["name"].as_str()).collect();
        return format!("one of: {}", names.join(", "));
    }
    let range = match (s["min_value"].as_f64(), s["max_value"].as_f64()) {
        (Some(a), Some(b)) => format!(" from {a} to {b}"),
        (Some(a), None) => format!(" of at least {a}"),
        (None, Some(b)) => format!(" of at most {b}"),
        (None, None) => String::new(),
    };
    match s["type"].as_u64() {
        Some(4) => format!("a whole number{range}"),
        Some(10) => format!("a number{range}"),
        Some(5) => "true or false".into(),
        Some(6) => "a member of this server".into(),
        Some(7) => "a text channel of this server".into(),
        Some(8) => "a role of this server".into(),
        _ => match s["max_length"].as_u64() {
            Some(n) => format!("text of up to {n} characters"),
            None => "text".into(),
        },
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

    #[test]
    fn an_options_range_choices_and_type_are_said_in_words() {
        let minutes =
            serde_json::json!({"type": 4, "name": "m", "min_value": 1.0, "max_value": 60.0});
        assert_eq!(takes(&minutes), "a whole number from 1 to 60");
        assert!(accepts(&minutes, &serenity::ResolvedValue::Integer(60)));
        assert!(!accepts(&minutes, &serenity::ResolvedValue::Integer(61)));
        assert!(!accepts(&minutes, &serenity::ResolvedValue::String("5")));
        let level = serde_json::json!({"type": 4, "name": "d",
            "choices": [{"name": "easy", "value": 0}, {"name": "hard", "value": 1}]});
        assert_eq!(takes(&level), "one of: easy, hard");
        assert!(!accepts(&level, &serenity::ResolvedValue::Integer(2)));
        assert_eq!(takes(&serde_json::json!({"type": 5})), "true or false");
    }
}
