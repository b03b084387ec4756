//! The Discord front end: poise slash commands, buttons and modals that turn
//! what people do into engine events, and embeds that show the effects.
//!
//! `launch` starts the bot; `interview` and `buttons` run interviews in
//! threads; `deliver` posts what timers caused; the other modules are one
//! command each.

mod admin;
mod buttons;
pub mod custom_id;
mod deliver;
mod errors;
mod interview;
mod launch;
mod leaving;
mod notes;
mod panel;
mod permissions;
mod privacy;
mod questions;
pub mod render;
mod reply;
mod reports;
mod respond;
pub mod secret;
mod sessions;
pub mod text;
mod typed;

pub use errors::BotError;
pub use launch::{serve, BotOptions, RunningBot};
pub use secret::Token;

use crate::config::Config;
use crate::runtime::Runtime;
use std::path::PathBuf;

/// Everything a command handler needs.
pub struct Data {
    pub runtime: Runtime,
    pub config: Config,
    pub bank_dir: PathBuf,
    /// Seconds per question overriding the bank and `minutes` (quick drills
    /// and tests); None in normal service.
    pub question_seconds: Option<f64>,
    pub locks: sessions::SessionLocks,
    /// One lock per panel lobby: a press's change and the redraw it answers
    /// with happen in order, so two quick presses cannot leave the older
    /// list on the message.
    pub lobby_locks: sessions::SessionLocks,
    pub threads: std::sync::Arc<sessions::ThreadIndex>,
}

pub type Context<'a> = poise::Context<'a, Data, BotError>;

/// Every slash command, in the order `/help` would list them.
pub fn commands() -> Vec<poise::Command<Data, BotError>> {
    vec![
        interview::interview(),
        panel::panel(),
        reports::leaderboard(),
        reports::stats(),
        notes::notes(),
        notes::note(),
        questions::topics(),
        questions::question(),
        privacy::privacy(),
        admin::bank(),
        admin::config(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(c: &poise::Command<Data, BotError>, path: &str, out: &mut Vec<(String, String)>) {
        let name = format!("{path}{}", c.name);
        out.push((
            name.clone(),
            c.description.clone().unwrap_or_default().to_string(),
        ));
        for s in &c.subcommands {
            walk(s, &format!("{name} "), out);
        }
    }

    #[test]
    fn the_command_names_are_the_issues_and_each_has_a_description() {
        let mut all = Vec::new();
        for c in commands() {
            walk(&c, "", &mut all);
        }
        let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
        for expected in [
            "interview start",
            "interview end",
            "interview status",
            "panel create",
            "leaderboard",
            "stats",
            "notes",
            "note add",
            "note resolve",
            "topics",
            "question",
            "privacy hide",
            "privacy show",
            "privacy delete",
            "bank reload",
            "config",
        ] {
            assert!(
                names.contains(&expected),
                "{expected} missing from {names:?}"
            );
        }
        for (name, description) in &all {
            assert!(
                !description.is_empty() && description.chars().count() <= 100,
                "/{name}: {description:?}"
            );
        }
    }
}
