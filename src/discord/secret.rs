//! The bot token, wrapped so it never reaches a log line or an error.

use std::fmt;

/// A Discord bot token. `Debug` prints a placeholder and there is no
/// `Display`, so `{:?}` in a log or an error chain cannot leak it.
#[derive(Clone)]
pub struct Token(String);

/// The variable the token is read from; it is never read from a file.
pub const TOKEN_VAR: &str = "DISCORD_TOKEN";

impl Token {
    pub fn new(token: impl Into<String>) -> Token {
        Token(token.into().trim().to_string())
    }

    /// The token from `DISCORD_TOKEN`, or an error saying how to set it.
    pub fn from_env(env: impl Fn(&str) -> Option<String>) -> Result<Token, MissingToken> {
        env(TOKEN_VAR)
            .map(Token::new)
            .filter(|t| !t.0.is_empty())
            .ok_or(MissingToken)
    }

    /// The secret itself, for the HTTP client only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

#[derive(Debug, thiserror::Error)]
#[error("set DISCORD_TOKEN to the bot token from the Discord developer portal (Bot page)")]
pub struct MissingToken;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_token() {
        let t = Token::new("abc.def.ghi");
        assert!(!format!("{t:?}").contains("abc"));
        assert_eq!(t.expose(), "abc.def.ghi");
    }

    #[test]
    fn an_empty_or_missing_token_is_refused() {
        assert!(Token::from_env(|_| None).is_err());
        assert!(Token::from_env(|_| Some("  ".into())).is_err());
        assert!(Token::from_env(|_| Some("x".into())).is_ok());
    }
}
