//! The model endpoint's API key: a secret like the Discord token, read only
//! from `AI_API_KEY`.

pub use crate::secret::Secret as ApiKey;

/// The variable the key is read from; it is never read from a file.
pub const KEY_VAR: &str = "AI_API_KEY";
