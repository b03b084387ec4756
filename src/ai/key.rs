//! The model endpoint's API key, wrapped like the Discord token: read only
//! from `AI_API_KEY`, never printed by `Debug`, with no `Display`.

use std::fmt;

/// The variable the key is read from; it is never read from a file.
pub const KEY_VAR: &str = "AI_API_KEY";

#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// None for an empty key (a local server needs none).
    pub fn new(key: impl Into<String>) -> Option<ApiKey> {
        let key = key.into().trim().to_string();
        (!key.is_empty()).then_some(ApiKey(key))
    }

    /// The secret itself, for the `Authorization` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_key_and_an_empty_key_is_none() {
        let k = ApiKey::new(" sk-secret-1 ").expect("a key");
        assert_eq!(k.expose(), "sk-secret-1");
        assert!(!format!("{k:?}").contains("secret"));
        assert!(ApiKey::new("  ").is_none());
    }
}
