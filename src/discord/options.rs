//! What the session commands share: their options, and the checks made
//! before anything is created (the topic, the place, the numbers).

use super::{BotError, Context};
use crate::bank::{Difficulty, DifficultyChoice};
use crate::interview::limits::{LimitError, MinutesPerQuestion, QuestionCount};
use crate::present::text::truncate;
use crate::runtime::Place;
use crate::store::{NoteFilter, Period};
use poise::serenity_prelude as serenity;
use serenity::ChannelType;

/// A slash-command choice standing for a domain value: Discord shows the
/// labels, and the handler gets the domain value through `From`.
macro_rules! choice {
    ($name:ident => $domain:ty { $($variant:ident = $label:literal => $value:expr),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
        pub enum $name {
            $(#[name = $label] $variant),+
        }
        impl From<$name> for $domain {
            fn from(c: $name) -> Self {
                match c {
                    $($name::$variant => $value),+
                }
            }
        }
    };
}

choice!(DifficultyOption => DifficultyChoice {
    Easy = "easy" => DifficultyChoice::Easy,
    Medium = "medium" => DifficultyChoice::Medium,
    Hard = "hard" => DifficultyChoice::Hard,
    Mixed = "mixed" => DifficultyChoice::Mixed,
});

choice!(LevelOption => Difficulty {
    Easy = "easy" => Difficulty::Easy,
    Medium = "medium" => Difficulty::Medium,
    Hard = "hard" => Difficulty::Hard,
});

choice!(PeriodOption => Period {
    Week = "week" => Period::Week,
    Month = "month" => Period::Month,
    All = "all" => Period::All,
});

choice!(StatusOption => NoteFilter {
    Open = "open" => NoteFilter::Open,
    Resolved = "resolved" => NoteFilter::Resolved,
    All = "all" => NoteFilter::All,
});

/// Topics of the bank matching what is typed (Discord shows at most 25).
pub async fn autocomplete_topic(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let bank = ctx.data().runtime.bank_for(ctx.guild_id().map(|g| g.get()));
    let typed = partial.trim().to_lowercase();
    let choices = bank
        .topics
        .values()
        .filter(|t| t.slug.contains(&typed) || t.title.to_lowercase().contains(&typed))
        .take(25)
        .map(|t| serenity::AutocompleteChoice::new(truncate(&t.title, 100), t.slug.clone()))
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// The topic as the bank names it, or what to do instead.
pub fn checked_topic(ctx: Context<'_>, topic: &str) -> Result<String, BotError> {
    let topic = topic.trim().to_lowercase();
    ctx.data()
        .runtime
        .bank_for(ctx.guild_id().map(|g| g.get()))
        .check_topics(std::slice::from_ref(&topic))
        .map_err(|e| {
            BotError::user(format!(
                "{}. Pick one from the list as you type.",
                crate::present::text::capitalise(&e.to_string())
            ))
        })?;
    Ok(topic)
}

/// A number option through its limit type, which says the range when it
/// refuses: Discord enforces the registered ranges, an outdated client may not.
pub fn limited<T>(
    what: &str,
    value: impl Into<u64>,
    new: impl Fn(u64) -> Result<T, LimitError>,
) -> Result<T, BotError> {
    new(value.into()).map_err(|e| BotError::user(format!("The {what} {e}.")))
}

/// The number of questions asked for (else `interview.default_questions`).
pub fn question_count(ctx: Context<'_>, asked: Option<u8>) -> Result<usize, BotError> {
    let default = ctx.data().config.interview.default_questions;
    let n = asked.map_or(default, usize::from);
    limited("number of questions", n as u64, |n| {
        QuestionCount::new(n as usize)
    })
    .map(|q| q.get())
}

/// Minutes per question, when asked for, within their range.
pub fn check_minutes(asked: Option<u8>) -> Result<(), BotError> {
    match asked {
        Some(m) => limited("minutes per question", m, |m| {
            MinutesPerQuestion::new(m as f64)
        })
        .map(drop),
        None => Ok(()),
    }
}

/// Sessions start in a text channel, in the server's interview channel if
/// it has one (`Runtime::check_place`).
pub async fn check_where(
    ctx: Context<'_>,
    command: &str,
    what: &str,
) -> Result<crate::store::GuildSettings, BotError> {
    let guild = ctx
        .guild_id()
        .ok_or_else(|| BotError::user("This command works in a server, not in direct messages."))?;
    let place = Place {
        guild: guild.get(),
        channel: ctx.channel_id().get(),
        in_thread: in_thread(ctx),
    };
    Ok(ctx
        .data()
        .runtime
        .check_place(&place, command, what)
        .await?)
}

fn in_thread(ctx: Context<'_>) -> bool {
    match ctx {
        poise::Context::Application(a) => a.interaction.channel.as_ref().is_some_and(|c| {
            matches!(
                c.kind,
                ChannelType::PublicThread | ChannelType::PrivateThread | ChannelType::NewsThread
            )
        }),
        poise::Context::Prefix(_) => false,
    }
}
