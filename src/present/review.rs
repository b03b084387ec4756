//! What spaced review says: nothing due, a review ready, reminders.

use super::text::channel_link;

/// "Nothing is due ..." with when the next question is (`when`, such as
/// "in 3 hours"), and what to run instead.
pub fn nothing_due(when: Option<String>, start_with: &str) -> String {
    let when = match when {
        Some(w) => format!("The next question comes due {w}."),
        None => "Answer a few questions first: what you miss comes back here.".to_string(),
    };
    format!(
        "Nothing is due for review. {when} Meanwhile, start a normal interview with {start_with}."
    )
}

/// "1 question is due" / "3 questions are due".
pub fn due_text(n: usize) -> String {
    if n == 1 {
        "1 question is due".to_string()
    } else {
        format!("{n} questions are due")
    }
}

/// The daily reminder.
pub fn reminder(due: usize) -> String {
    format!(
        "{} for review: run /review to go through them. (Turn these off with /review remind:off.)",
        due_text(due)
    )
}

/// `/review remind:on|off`; `channel` is the server's review channel, if any.
pub fn reminders_set(on: bool, channel: Option<u64>) -> String {
    if !on {
        return "Reminders are off: you will get no more review reminders.".to_string();
    }
    let place = match channel {
        Some(c) => format!("in {}", channel_link(c)),
        None => "as a direct message (if you allow DMs from server members)".into(),
    };
    format!("Reminders are on: at most one message a day, {place}, when questions are due for review. Turn them off with /review remind:off.")
}
