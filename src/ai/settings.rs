//! The `ai.*` settings: where the model is, which one, how long to wait and
//! how many calls a server may make a day. Off unless `ai.base_url` is set.

use super::key::{ApiKey, KEY_VAR};
use serde::Deserialize;
use std::time::Duration;

const TIMEOUT_RANGE: (f64, f64) = (0.1, 120.0);
const CAP_RANGE: (u32, u32) = (1, 100_000);
const URL_RULE: &str = "must be an http:// or https:// URL, or empty";
const MODEL_RULE: &str = "must name the model when ai.base_url is set";

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct AiConfig {
    /// An OpenAI-compatible API base (`.../v1`); None: no AI feedback at all.
    pub base_url: Option<String>,
    pub model: String,
    pub timeout_seconds: f64,
    /// Model calls per server per UTC day (cached answers cost none).
    pub daily_cap: u32,
    /// From `AI_API_KEY` only; never in a file.
    #[serde(skip)]
    pub api_key: Option<ApiKey>,
}

impl Default for AiConfig {
    fn default() -> Self {
        AiConfig {
            base_url: None,
            model: "llama3.1".into(),
            timeout_seconds: 20.0,
            daily_cap: 200,
            api_key: None,
        }
    }
}

fn timeout_rule() -> String {
    format!(
        "must be from {} to {} seconds",
        TIMEOUT_RANGE.0, TIMEOUT_RANGE.1
    )
}

fn cap_rule() -> String {
    format!(
        "must be a whole number from {} to {}",
        CAP_RANGE.0, CAP_RANGE.1
    )
}

impl AiConfig {
    pub fn enabled(&self) -> bool {
        self.base_url.is_some()
    }

    pub fn timeout(&self) -> Duration {
        Duration::from_secs_f64(self.timeout_seconds)
    }

    /// Every setting against its rule; the first one broken, by file key.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        if let Some(url) = &self.base_url {
            if !valid_url(url) {
                return Err(("ai.base_url", URL_RULE.into()));
            }
            if self.model.trim().is_empty() {
                return Err(("ai.model", MODEL_RULE.into()));
            }
        }
        let t = self.timeout_seconds;
        if !(TIMEOUT_RANGE.0..=TIMEOUT_RANGE.1).contains(&t) {
            return Err(("ai.timeout_seconds", timeout_rule()));
        }
        if !(CAP_RANGE.0..=CAP_RANGE.1).contains(&self.daily_cap) {
            return Err(("ai.daily_cap", cap_rule()));
        }
        Ok(())
    }

    /// `INTERVIEW_BOT__AI__*` overrides and the key from `AI_API_KEY`.
    pub fn apply_env(
        &mut self,
        prefix: &str,
        env: &impl Fn(&str) -> Option<String>,
    ) -> Result<(), EnvRefusal> {
        let get = |k: &str| env(k).filter(|v| !v.trim().is_empty());
        let refuse = |var: &str, value: &str, message: String| EnvRefusal {
            var: var.into(),
            value: value.into(),
            message,
        };
        let var = format!("{prefix}AI__BASE_URL");
        if let Some(v) = get(&var) {
            let url = v.trim().trim_end_matches('/').to_string();
            if !valid_url(&url) {
                // The value may carry credentials: show it redacted.
                return Err(refuse(
                    &var,
                    &crate::redact::redact_url(&v),
                    URL_RULE.into(),
                ));
            }
            self.base_url = Some(url);
        }
        if let Some(v) = get(&format!("{prefix}AI__MODEL")) {
            self.model = v.trim().to_string();
        }
        let var = format!("{prefix}AI__TIMEOUT_SECONDS");
        if let Some(v) = get(&var) {
            self.timeout_seconds = v
                .trim()
                .parse()
                .ok()
                .filter(|t| (TIMEOUT_RANGE.0..=TIMEOUT_RANGE.1).contains(t))
                .ok_or_else(|| refuse(&var, &v, timeout_rule()))?;
        }
        let var = format!("{prefix}AI__DAILY_CAP");
        if let Some(v) = get(&var) {
            self.daily_cap = v
                .trim()
                .parse()
                .ok()
                .filter(|c| (CAP_RANGE.0..=CAP_RANGE.1).contains(c))
                .ok_or_else(|| refuse(&var, &v, cap_rule()))?;
        }
        if let Some(k) = env(KEY_VAR) {
            self.api_key = ApiKey::non_empty(k);
        }
        if self.base_url.is_some() && self.model.trim().is_empty() {
            return Err(refuse(&format!("{prefix}AI__MODEL"), "", MODEL_RULE.into()));
        }
        Ok(())
    }

    /// Who receives the answers: the endpoint's host (and port), never its
    /// credentials or path.
    pub fn host(&self) -> Option<String> {
        self.base_url.as_deref().map(endpoint_host)
    }
}

fn valid_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"));
    rest.is_some_and(|r| !endpoint_host(url).is_empty() && !r.starts_with('/'))
}

/// `http://user:pw@host:11434/v1` → `host:11434`.
pub fn endpoint_host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    authority
        .rsplit_once('@')
        .map_or(authority, |(_, h)| h)
        .to_string()
}

/// An `INTERVIEW_BOT__AI__*` variable whose value cannot be used (the
/// config reports it with the rest of its settings' problems).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("environment variable {var}={value:?}: {message}")]
pub struct EnvRefusal {
    pub var: String,
    /// Shown redacted where it may carry credentials.
    pub value: String,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_drops_credentials_and_path() {
        assert_eq!(
            endpoint_host("https://u:pw@api.example.com:8443/v1?x=1"),
            "api.example.com:8443"
        );
        assert_eq!(
            endpoint_host("http://127.0.0.1:11434/v1"),
            "127.0.0.1:11434"
        );
    }

    #[test]
    fn bad_settings_are_refused_with_their_rule() {
        let with = |f: fn(&mut AiConfig)| {
            let mut c = AiConfig::default();
            f(&mut c);
            c.check()
        };
        assert_eq!(with(|_| {}), Ok(()));
        assert_eq!(
            with(|c| c.base_url = Some("ftp://x".into())).map_err(|e| e.0),
            Err("ai.base_url")
        );
        assert_eq!(
            with(|c| c.timeout_seconds = 0.0).map_err(|e| e.0),
            Err("ai.timeout_seconds")
        );
        assert_eq!(
            with(|c| c.daily_cap = 0).map_err(|e| e.0),
            Err("ai.daily_cap")
        );
        assert_eq!(
            with(|c| {
                c.base_url = Some("http://h/v1".into());
                c.model = " ".into();
            })
            .map_err(|e| e.0),
            Err("ai.model")
        );
    }

    #[test]
    fn the_environment_sets_the_endpoint_and_the_key_and_names_bad_values() {
        let env = |k: &str| match k {
            "P_AI__BASE_URL" => Some("http://127.0.0.1:11434/v1/".into()),
            "P_AI__TIMEOUT_SECONDS" => Some("2.5".into()),
            "AI_API_KEY" => Some("sk-1".into()),
            _ => None,
        };
        let mut c = AiConfig::default();
        c.apply_env("P_", &env).expect("applies");
        assert_eq!(c.base_url.as_deref(), Some("http://127.0.0.1:11434/v1"));
        assert_eq!(c.timeout_seconds, 2.5);
        assert_eq!(c.api_key.as_ref().map(ApiKey::expose), Some("sk-1"));
        let bad = |k: &str| (k == "P_AI__DAILY_CAP").then(|| "lots".to_string());
        let err = AiConfig::default()
            .apply_env("P_", &bad)
            .expect_err("refused")
            .to_string();
        assert!(
            err.contains("P_AI__DAILY_CAP") && err.contains("1 to 100000"),
            "{err}"
        );
        let secret = |k: &str| (k == "P_AI__BASE_URL").then(|| "gopher://u:hunter2@h".to_string());
        let err = AiConfig::default()
            .apply_env("P_", &secret)
            .expect_err("refused")
            .to_string();
        assert!(!err.contains("hunter2"), "{err}");
    }
}
