//! Settings: config/default.yaml, then environment overrides.

mod env;

use crate::interview::limits::{
    HintPenalty, LimitError, MinutesPerQuestion, QuestionCount, RatingWindowSeconds,
};
use crate::runtime::shards::{Ownership, ShardError};
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const DEFAULT_FILE: &str = "config/default.yaml";
pub const ENV_PREFIX: &str = "INTERVIEW_BOT__";
const GUILD_ID_RULE: &str = "must be a Discord server id (a number above 0), or empty";

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub database: PathBuf,
    pub bank_dir: PathBuf,
    pub interview: InterviewConfig,
    pub discord: DiscordConfig,
    /// The optional AI reviewer (`ai.*`; off without `ai.base_url`).
    pub ai: crate::ai::AiConfig,
    pub metrics: MetricsConfig,
}

/// The operators' endpoint (`/metrics`, `/health`); off without `listen`.
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    pub listen: Option<std::net::SocketAddr>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct InterviewConfig {
    pub default_questions: usize,
    pub default_minutes: Option<f64>,
    pub rating_window_seconds: u64,
    pub hint_penalty: u32,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct DiscordConfig {
    pub guild_id: Option<u64>,
    pub api_base: Option<String>,
    pub message_content: bool,
    /// Notice people leaving the server or an interview's thread (needs the
    /// privileged SERVER MEMBERS intent).
    pub member_events: bool,
    /// Discord user ids of the bot's operators (who may `/bank reload`);
    /// empty: the application's owner, or its team's admins and developers.
    pub owners: Vec<u64>,
    /// This process's shards, `FIRST-LAST` or one number (see
    /// `runtime::shards`); None: every shard.
    pub shards: Option<String>,
    /// The bot's total number of shards, over every process.
    pub total_shards: Option<u32>,
}

impl DiscordConfig {
    /// The servers this process owns, from `shards` and `total_shards`.
    pub fn ownership(&self) -> Result<Ownership, ShardError> {
        Ownership::from_settings(self.shards.as_deref(), self.total_shards)
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database: PathBuf::from("data/interview-bot.db"),
            bank_dir: PathBuf::from("question-bank"),
            interview: InterviewConfig::default(),
            discord: DiscordConfig::default(),
            ai: crate::ai::AiConfig::default(),
            metrics: MetricsConfig::default(),
        }
    }
}

impl Default for InterviewConfig {
    fn default() -> Self {
        InterviewConfig {
            default_questions: 5,
            default_minutes: None,
            rating_window_seconds: 120,
            hint_penalty: 10,
        }
    }
}

impl InterviewConfig {
    /// Minutes per question, by precedence: what the person asked for, else
    /// the server's default (`/config`), else `interview.default_minutes`.
    pub fn minutes_for(&self, asked: Option<u8>, server: Option<u32>) -> Option<f64> {
        asked
            .map(f64::from)
            .or(server.map(f64::from))
            .or(self.default_minutes)
    }

    /// The minutes per question by precedence (`minutes_for`) and the
    /// session's settings with them.
    pub fn settings_for(
        &self,
        asked: Option<u8>,
        server: Option<u32>,
        seconds_override: Option<f64>,
    ) -> (Option<f64>, crate::interview::Settings) {
        let minutes = self.minutes_for(asked, server);
        (minutes, self.session_settings(minutes, seconds_override))
    }

    /// A session's settings: these defaults, with the minutes per question
    /// and the seconds override the person (or the test harness) chose.
    pub fn session_settings(
        &self,
        minutes: Option<f64>,
        seconds_override: Option<f64>,
    ) -> crate::interview::Settings {
        crate::interview::Settings {
            minutes: minutes.or(self.default_minutes),
            seconds_override,
            rating_window_secs: self.rating_window_seconds,
            hint_penalty: self.hint_penalty,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Parse {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{path}: {key} {message}")]
    Setting {
        path: PathBuf,
        key: &'static str,
        message: String,
    },
    #[error("shard settings (--shards and --total-shards, discord.shards and discord.total_shards, or their environment variables): {0}")]
    Shards(ShardError),
    #[error("environment variable {var}={value:?}: {message}")]
    Env {
        var: String,
        value: String,
        message: String,
    },
}

impl Config {
    /// Reads `path` (or config/default.yaml if present, else the built-in
    /// defaults) and applies environment overrides from `env`.
    pub fn load(
        path: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        Self::load_then(path, env, |_| {})
    }

    /// As `load`, with the command line's own overrides (`flags`) applied
    /// last, before the settings are checked together: `serve --shards` may
    /// complete a range or total that the file or the environment left out.
    pub fn load_then(
        path: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
        flags: impl FnOnce(&mut Config),
    ) -> Result<Config, ConfigError> {
        let mut config = match path {
            Some(p) => Self::from_file(p)?,
            None if Path::new(DEFAULT_FILE).exists() => Self::from_file(Path::new(DEFAULT_FILE))?,
            None => Config::default(),
        };
        if let Some(url) = &mut config.ai.base_url {
            *url = url.trim_end_matches('/').to_string();
        }
        config.apply_env(env)?;
        flags(&mut config);
        // The range and the total may come from different places.
        config.discord.ownership().map_err(ConfigError::Shards)?;
        Ok(config)
    }

    fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.into(),
            source,
        })?;
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        let config: Config = crate::bank::yaml::parse(&text).map_err(|e| ConfigError::Parse {
            path: path.into(),
            line: e.line,
            message: e.message,
        })?;
        config
            .check()
            .map_err(|(key, message)| ConfigError::Setting {
                path: path.into(),
                key,
                message,
            })?;
        Ok(config)
    }

    /// Every numeric setting against its range; the first one out of range
    /// and why, by its file key.
    fn check(&self) -> Result<(), (&'static str, String)> {
        fn key(k: &'static str) -> impl Fn(LimitError) -> (&'static str, String) {
            move |e| (k, e.to_string())
        }
        let i = &self.interview;
        QuestionCount::new(i.default_questions).map_err(key("interview.default_questions"))?;
        if let Some(m) = i.default_minutes {
            MinutesPerQuestion::new(m).map_err(key("interview.default_minutes"))?;
        }
        RatingWindowSeconds::new(i.rating_window_seconds)
            .map_err(key("interview.rating_window_seconds"))?;
        HintPenalty::new(i.hint_penalty).map_err(key("interview.hint_penalty"))?;
        if self.discord.guild_id == Some(0) {
            return Err(("discord.guild_id", GUILD_ID_RULE.to_string()));
        }
        self.ai.check()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_config_file_matches_the_built_in_defaults() {
        let shipped = Config::from_file(Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/config/default.yaml"
        )))
        .expect("parses");
        assert_eq!(shipped, Config::default());
    }

    #[test]
    fn environment_overrides_the_file_and_bad_values_name_the_variable() {
        let env = |k: &str| match k {
            "INTERVIEW_BOT__DATABASE" => Some("/tmp/x.db".to_string()),
            "DISCORD_GUILD_ID" => Some("42".to_string()),
            "INTERVIEW_BOT__INTERVIEW__HINT_PENALTY" => Some("5".to_string()),
            _ => None,
        };
        let c = Config::load(
            Some(Path::new(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/config/default.yaml"
            ))),
            env,
        )
        .expect("loads");
        assert_eq!(
            (c.database, c.discord.guild_id, c.interview.hint_penalty),
            (PathBuf::from("/tmp/x.db"), Some(42), 5)
        );
        let bad = |k: &str| {
            (k == "INTERVIEW_BOT__INTERVIEW__DEFAULT_QUESTIONS").then(|| "many".to_string())
        };
        let err = Config::load(None, bad).expect_err("rejects").to_string();
        assert!(
            err.contains("INTERVIEW_BOT__INTERVIEW__DEFAULT_QUESTIONS"),
            "{err}"
        );
    }

    #[test]
    fn owners_come_from_a_comma_separated_variable_and_a_bad_id_names_it() {
        let env = |v: &'static str| {
            move |k: &str| (k == "INTERVIEW_BOT__DISCORD__OWNERS").then(|| v.to_string())
        };
        let c = Config::load(None, env("11, 22,")).expect("loads");
        assert_eq!(c.discord.owners, vec![11, 22]);
        let err = Config::load(None, env("11,bob"))
            .expect_err("rejects")
            .to_string();
        assert!(
            err.contains("INTERVIEW_BOT__DISCORD__OWNERS") && err.contains("bob"),
            "{err}"
        );
    }

    #[test]
    fn shard_settings_come_from_the_file_or_the_environment_and_are_checked_together() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("shards.yaml");
        std::fs::write(&path, "discord:\n  shards: 4-7\n  total_shards: 8\n").expect("write");
        let c = Config::load(Some(&path), |_| None).expect("loads");
        assert_eq!(c.discord.ownership(), Ownership::new(4, 7, 8));
        std::fs::write(&path, "discord:\n  shards: 4-8\n  total_shards: 8\n").expect("write");
        let err = Config::load(Some(&path), |_| None)
            .expect_err("refused")
            .to_string();
        assert!(
            err.contains("discord.shards") && err.contains("numbered 0 to 7"),
            "{err}"
        );
        // The range from the file, the total from the environment.
        std::fs::write(&path, "discord:\n  shards: 0-1\n").expect("write");
        let total = |v: &'static str| {
            move |k: &str| (k == "INTERVIEW_BOT__DISCORD__TOTAL_SHARDS").then(|| v.to_string())
        };
        let c = Config::load(Some(&path), total("2")).expect("loads");
        assert_eq!(c.discord.ownership(), Ownership::new(0, 1, 2));
        let err = Config::load(Some(&path), total("1"))
            .expect_err("refused")
            .to_string();
        assert!(err.contains("inside the 1 shard(s)"), "{err}");
        let err = Config::load(None, total("none"))
            .expect_err("refused")
            .to_string();
        assert!(
            err.contains("INTERVIEW_BOT__DISCORD__TOTAL_SHARDS") && err.contains("1 or more"),
            "{err}"
        );
        let range = |k: &str| (k == "INTERVIEW_BOT__DISCORD__SHARDS").then(|| "3".to_string());
        let err = Config::load(None, range).expect_err("refused").to_string();
        assert!(err.contains("needs the total number of shards"), "{err}"); // `serve --total-shards` completes a range the file gave alone.
        let c = Config::load_then(Some(&path), |_| None, |c| c.discord.total_shards = Some(4))
            .expect("the flag completes the file");
        assert_eq!(c.discord.ownership(), Ownership::new(0, 1, 4));
    }

    #[test]
    fn the_built_in_defaults_are_within_every_range() {
        assert_eq!(Config::default().check(), Ok(()));
    }

    #[test]
    fn a_setting_out_of_range_in_the_file_names_its_key_and_the_range() {
        let dir = tempfile::tempdir().expect("tempdir");
        for (yaml, key, range) in [
            (
                "default_minutes: 1200000",
                "interview.default_minutes",
                "1 to 60 minutes",
            ),
            (
                "default_questions: 0",
                "interview.default_questions",
                "from 1 to 20",
            ),
            (
                "rating_window_seconds: 0",
                "interview.rating_window_seconds",
                "from 1 to 3600",
            ),
            (
                "hint_penalty: 101",
                "interview.hint_penalty",
                "from 0 to 100",
            ),
        ] {
            let path = dir.path().join("settings.yaml");
            std::fs::write(&path, format!("interview:\n  {yaml}\n")).expect("write");
            let err = Config::load(Some(&path), |_| None)
                .expect_err("refused")
                .to_string();
            assert!(err.contains(key) && err.contains(range), "{yaml}: {err}");
            assert!(err.contains("settings.yaml"), "{err}");
        }
        let path = dir.path().join("guild.yaml");
        std::fs::write(&path, "discord:\n  guild_id: 0\n").expect("write");
        let err = Config::load(Some(&path), |_| None).expect_err("refused");
        assert!(err.to_string().contains("discord.guild_id"), "{err}");
    }

    #[test]
    fn a_setting_out_of_range_in_the_environment_names_the_variable_and_the_range() {
        for (var, value, range) in [
            (
                "INTERVIEW_BOT__INTERVIEW__DEFAULT_MINUTES",
                "0.5",
                "1 to 60 minutes",
            ),
            (
                "INTERVIEW_BOT__INTERVIEW__DEFAULT_MINUTES",
                "NaN",
                "1 to 60 minutes",
            ),
            (
                "INTERVIEW_BOT__INTERVIEW__DEFAULT_QUESTIONS",
                "21",
                "from 1 to 20",
            ),
            (
                "INTERVIEW_BOT__INTERVIEW__RATING_WINDOW_SECONDS",
                "99999",
                "from 1 to 3600",
            ),
            (
                "INTERVIEW_BOT__INTERVIEW__HINT_PENALTY",
                "-1",
                "from 0 to 100",
            ),
            ("DISCORD_GUILD_ID", "0", "above 0"),
            (
                "INTERVIEW_BOT__DISCORD__MESSAGE_CONTENT",
                "yes",
                "true or false",
            ),
        ] {
            let env = |k: &str| (k == var).then(|| value.to_string());
            let err = Config::load(None, env).expect_err("refused").to_string();
            assert!(
                err.contains(var) && err.contains(range),
                "{var}={value}: {err}"
            );
        }
        let fine =
            |k: &str| (k == "INTERVIEW_BOT__INTERVIEW__DEFAULT_MINUTES").then(|| "2.5".to_string());
        let c = Config::load(None, fine).expect("in range");
        assert_eq!(c.interview.default_minutes, Some(2.5));
    }
}
