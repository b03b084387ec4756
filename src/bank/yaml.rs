//! Every use of serde_yaml lives here, so the YAML crate can be swapped.

use serde::de::DeserializeOwned;

/// A YAML problem with the 1-based line it was found on (if known).
#[derive(Debug, Clone)]
pub struct YamlError {
    pub line: usize,
    pub message: String,
}

/// Parses `text` into `T`, keeping serde_yaml's location as a line number.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| YamlError {
        line: e.location().map(|l| l.line()).unwrap_or(1),
        message: clean_message(&e.to_string()),
    })
}

/// serde_yaml appends " at line L column C" to its messages; we report the
/// line separately, so strip it to keep one location per message.
fn clean_message(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// The raw YAML value type, for callers that need an untyped look first.
pub type Value = serde_yaml::Value;

/// Converts an already parsed value into `T`.
pub fn from_value<T: DeserializeOwned>(v: Value) -> Result<T, String> {
    serde_yaml::from_value(v).map_err(|e| clean_message(&e.to_string()))
}

/// A YAML mapping, for checking a question's fields one by one.
pub type Mapping = serde_yaml::Mapping;
