//! Text helpers that keep within Discord's limits.

use crate::time::Timestamp;

/// Embed description limit.
pub const DESCRIPTION: usize = 4096;
/// Embed field value limit.
pub const FIELD: usize = 1024;
/// Embed title and field name limit.
pub const TITLE: usize = 256;
/// All embeds of one message together.
pub const MESSAGE_EMBEDS: usize = 6000;
/// Message content limit.
pub const CONTENT: usize = 2000;

/// `s` cut to at most `max` characters (not bytes), with an ellipsis when
/// cut, so a long prompt or note never makes Discord refuse a message.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Like [`truncate`] but keeps `||spoiler||` markers around the result.
pub fn spoiler(s: &str, max: usize) -> String {
    let inner = truncate(&s.replace("||", "|\u{200b}|"), max.saturating_sub(4));
    format!("||{inner}||")
}

/// A Discord timestamp every client renders (and counts down) itself.
pub fn relative(t: Timestamp) -> String {
    format!("<t:{}:R>", t.millis().div_euclid(1000))
}

pub fn channel_link(id: u64) -> String {
    format!("<#{id}>")
}

/// A bullet list that fits in `max` characters, saying how many were left out.
pub fn bullets(items: &[String], mark: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        let line = if mark.is_empty() {
            format!("{}\n", truncate(item, 300))
        } else {
            format!("{mark} {}\n", truncate(item, 300))
        };
        let rest = items.len() - i;
        let tail = format!("… and {rest} more");
        if out.chars().count() + line.chars().count() + tail.chars().count() > max {
            out.push_str(&tail);
            return out;
        }
        out.push_str(&line);
    }
    out.trim_end().to_string()
}

/// Text as a Markdown block quote.
pub fn quote(s: &str) -> String {
    s.lines()
        .map(|l| format!("> {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_counts_characters_and_never_splits_one() {
        let s = "é".repeat(5000);
        let t = truncate(&s, DESCRIPTION);
        assert_eq!(t.chars().count(), DESCRIPTION);
        assert!(t.ends_with('…'));
        assert_eq!(truncate("short", 10), "short");
    }

    #[test]
    fn a_spoiler_stays_closed_and_within_the_limit() {
        let s = spoiler(&"a||b".repeat(600), FIELD);
        assert!(s.chars().count() <= FIELD);
        assert!(s.starts_with("||") && s.ends_with("||"));
        assert_eq!(s.matches("||").count(), 2);
    }

    #[test]
    fn bullets_fit_and_say_what_was_left_out() {
        let items: Vec<String> = (0..100).map(|i| format!("point number {i}")).collect();
        let b = bullets(&items, "✓", FIELD);
        assert!(b.chars().count() <= FIELD);
        assert!(b.contains("more"));
    }

    #[test]
    fn timestamps_are_in_seconds() {
        assert_eq!(relative(Timestamp(1_700_000_000_999)), "<t:1700000000:R>");
    }
}
