//! Text helpers that keep within Discord's limits.

use crate::interview::{SessionState, UserId};
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

/// A refusal as a sentence: its first letter upper case.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A participant's display name (never a mention: nothing the bot posts pings).
pub fn name(state: &SessionState, user: UserId) -> String {
    state
        .participant(user)
        .map(|p| truncate(&p.name, 64))
        .unwrap_or_else(|| "someone".to_string())
}
