//! How the engine names a person.

use serde::{Deserialize, Serialize};

/// A person, as the store numbers them (front ends map their own ids to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub i64);
