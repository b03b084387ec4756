//! The Discord front end: poise slash commands, buttons and modals that turn
//! what people do into engine events, and embeds that show the effects.
//!
//! `launch` starts the bot; `start` opens a session's thread; `controls`
//! turns presses into requests to the runtime, which decides; `render`
//! draws what happened; `deliver` posts what timers caused; the other
//! modules are one command each.

mod admin;
mod ai_feedback;
mod caller;
mod controls;

mod deliver;
mod errors;
mod export;
mod health;
mod interview;
mod launch;
mod leaving;
mod lobby;
mod modals;
mod notes;
mod options;
mod packs;
mod permissions;
mod privacy;
mod questions;
mod reminders;
mod render;

mod reply;
mod reports;
mod respond;
mod review;
mod solo;
mod start;
mod stats_chart;

mod typed;

pub use crate::secret::Token;
pub use errors::BotError;
pub use launch::{BotOptions, RunningBot};

use crate::config::Config;
use crate::runtime::Runtime;

/// Everything a command handler needs.
pub struct Data {
    pub runtime: Runtime,
    pub config: Config,
    /// Seconds per question overriding the bank and `minutes` (quick drills
    /// and tests); None in normal service.
    pub question_seconds: Option<f64>,
    pub threads: std::sync::Arc<crate::runtime::threads::ThreadIndex>,
}

pub type Context<'a> = poise::Context<'a, Data, BotError>;

/// Every slash command, in the order `/help` would list them.
pub fn commands() -> Vec<poise::Command<Data, BotError>> {
    vec![
        interview::interview(),
        lobby::panel(),
        reports::leaderboard(),
        reports::stats(),
        review::review(),
        export::export(),
        notes::notes(),
        notes::note(),
        questions::topics(),
        questions::question(),
        privacy::privacy(),
        packs::pack(),
        admin::bank(),
        admin::config(),
    ]
}
