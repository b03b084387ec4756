//! Environment overrides of the settings: `INTERVIEW_BOT__SECTION__KEY`,
//! and the conventional short names of the Discord ones.

use super::{Config, ConfigError, ENV_PREFIX, GUILD_ID_RULE};
use crate::interview::limits::{
    HintPenalty, LimitError, MinutesPerQuestion, QuestionCount, RatingWindowSeconds,
};

const BOOL_RULE: &str = "must be true or false";
const OWNERS_RULE: &str = "must be Discord user ids separated by commas";
const LISTEN_RULE: &str = "must be an address and port, such as 127.0.0.1:9102, or empty";
const TOTAL_SHARDS_RULE: &str = "must be a whole number of shards, 1 or more";

fn parse<T: std::str::FromStr>(var: &str, value: &str, rule: &str) -> Result<T, ConfigError> {
    value.trim().parse().map_err(|_| ConfigError::Env {
        var: var.into(),
        value: value.into(),
        message: rule.into(),
    })
}
// A value with a range parses through its limit type, which says
// the range when it refuses.
fn limited<T: std::str::FromStr<Err = LimitError>>(
    var: &str,
    value: &str,
) -> Result<T, ConfigError> {
    value.parse().map_err(|e: LimitError| ConfigError::Env {
        var: var.into(),
        value: value.into(),
        message: e.to_string(),
    })
}

fn key(k: &str) -> String {
    format!("{ENV_PREFIX}{k}")
}

impl Config {
    pub(super) fn apply_env(
        &mut self,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<(), ConfigError> {
        let get = |k: &str| env(k).filter(|v| !v.trim().is_empty());
        if let Some(v) = get(&key("DATABASE")) {
            self.database = v.into();
        }
        if let Some(v) = get(&key("BANK_DIR")) {
            self.bank_dir = v.into();
        }
        if let Some(v) = get(&key("INTERVIEW__DEFAULT_QUESTIONS")) {
            self.interview.default_questions =
                limited::<QuestionCount>(&key("INTERVIEW__DEFAULT_QUESTIONS"), &v)?.get();
        }
        if let Some(v) = get(&key("INTERVIEW__DEFAULT_MINUTES")) {
            self.interview.default_minutes =
                Some(limited::<MinutesPerQuestion>(&key("INTERVIEW__DEFAULT_MINUTES"), &v)?.get());
        }
        if let Some(v) = get(&key("INTERVIEW__RATING_WINDOW_SECONDS")) {
            self.interview.rating_window_seconds =
                limited::<RatingWindowSeconds>(&key("INTERVIEW__RATING_WINDOW_SECONDS"), &v)?.get();
        }
        if let Some(v) = get(&key("INTERVIEW__HINT_PENALTY")) {
            self.interview.hint_penalty =
                limited::<HintPenalty>(&key("INTERVIEW__HINT_PENALTY"), &v)?.get();
        }
        self.apply_discord_env(&get)?;
        self.ai
            .apply_env(ENV_PREFIX, &env)
            .map_err(|r| ConfigError::Env {
                var: r.var,
                value: r.value,
                message: r.message,
            })
    }

    fn apply_discord_env(
        &mut self,
        get: &impl Fn(&str) -> Option<String>,
    ) -> Result<(), ConfigError> {
        // The Discord settings also answer to the conventional short names.
        for var in [key("DISCORD__GUILD_ID"), "DISCORD_GUILD_ID".to_string()] {
            if let Some(v) = get(&var) {
                let id: u64 = parse(&var, &v, GUILD_ID_RULE)?;
                if id == 0 {
                    return Err(ConfigError::Env {
                        var,
                        value: v,
                        message: GUILD_ID_RULE.into(),
                    });
                }
                self.discord.guild_id = Some(id);
            }
        }
        for var in [key("DISCORD__API_BASE"), "DISCORD_API_BASE".to_string()] {
            if let Some(v) = get(&var) {
                self.discord.api_base = Some(v.trim_end_matches('/').to_string());
            }
        }
        if let Some(v) = get(&key("DISCORD__MESSAGE_CONTENT")) {
            self.discord.message_content = parse(&key("DISCORD__MESSAGE_CONTENT"), &v, BOOL_RULE)?;
        }
        if let Some(v) = get(&key("DISCORD__MEMBER_EVENTS")) {
            self.discord.member_events = parse(&key("DISCORD__MEMBER_EVENTS"), &v, BOOL_RULE)?;
        }
        if let Some(v) = get(&key("DISCORD__OWNERS")) {
            let var = key("DISCORD__OWNERS");
            self.discord.owners = v
                .split(',')
                .filter(|id| !id.trim().is_empty())
                .map(|id| parse(&var, id, OWNERS_RULE))
                .collect::<Result<_, _>>()?;
        }
        if let Some(v) = get(&key("DISCORD__SHARDS")) {
            self.discord.shards = Some(v.trim().to_string());
        }
        if let Some(v) = get(&key("DISCORD__TOTAL_SHARDS")) {
            let var = key("DISCORD__TOTAL_SHARDS");
            self.discord.total_shards = Some(parse(&var, &v, TOTAL_SHARDS_RULE)?);
        }
        if let Some(v) = get(&key("METRICS__LISTEN")) {
            self.metrics.listen = Some(parse(&key("METRICS__LISTEN"), &v, LISTEN_RULE)?);
        }
        Ok(())
    }
}
