//! Length limits that keep every bank text displayable in a Discord embed.

pub const PROMPT_MAX: usize = 1500;
pub const MODEL_ANSWER_MAX: usize = 1000;
pub const KEY_POINT_MAX: usize = 200;
pub const HINT_MAX: usize = 300;
pub const FOLLOW_UP_MAX: usize = 300;
pub const TITLE_MAX: usize = 80;
pub const MIN_KEY_POINTS: usize = 2;
pub const TIME_LIMIT_RANGE: std::ops::RangeInclusive<u32> = 1..=60;

/// Stable slugs: lowercase letters, digits and single hyphens.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A server's pack: the largest file `/pack import` and `bank check` take,
/// and the most questions and topics one server may add. The file cap
/// comes first, so nothing larger is ever parsed.
pub const PACK_MAX_BYTES: usize = 256 * 1024;
pub const PACK_MAX_QUESTIONS: usize = 200;
pub const PACK_MAX_TOPICS: usize = 10;
