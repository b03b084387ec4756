//! Secrets read from the environment (the Discord token, a model endpoint's
//! key), wrapped so they never reach a log line or an error.

use std::fmt;

/// A secret value. `Debug` prints a placeholder and there is no `Display`,
/// so `{:?}` in a log or an error chain cannot leak it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

/// The Discord bot token.
pub type Token = Secret;

/// The variable the Discord token is read from; it is never read from a file.
pub const TOKEN_VAR: &str = "DISCORD_TOKEN";

impl Secret {
    pub fn new(secret: impl Into<String>) -> Secret {
        Secret(secret.into().trim().to_string())
    }

    /// None for an empty or blank value (a local model server needs no key).
    pub fn non_empty(secret: impl Into<String>) -> Option<Secret> {
        Some(Secret::new(secret)).filter(|s| !s.0.is_empty())
    }

    /// The Discord token from `DISCORD_TOKEN`, or an error saying how to set it.
    pub fn from_env(env: impl Fn(&str) -> Option<String>) -> Result<Secret, MissingSecret> {
        Secret::from_var(
            TOKEN_VAR,
            "the bot token from the Discord developer portal (Bot page)",
            env,
        )
    }

    /// A non-empty secret from the variable `var`; `what` tells the person
    /// what to put there.
    pub fn from_var(
        var: &'static str,
        what: &'static str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Secret, MissingSecret> {
        env(var)
            .and_then(Secret::non_empty)
            .ok_or(MissingSecret { var, what })
    }

    /// The secret itself, for the HTTP client only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

#[derive(Debug, thiserror::Error)]
#[error("set {var} to {what}")]
pub struct MissingSecret {
    var: &'static str,
    what: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_secret() {
        let t = Secret::new("abc.def.ghi");
        assert!(!format!("{t:?}").contains("abc"));
        assert_eq!(t.expose(), "abc.def.ghi");
    }

    #[test]
    fn an_empty_or_missing_token_is_refused_saying_where_to_set_it() {
        let missing = Secret::from_env(|_| None).map(|_| ()).unwrap_err();
        assert!(missing.to_string().contains("DISCORD_TOKEN"), "{missing}");
        assert!(Secret::from_env(|_| Some("  ".into())).is_err());
        assert!(Secret::from_env(|_| Some("x".into())).is_ok());
    }
}
