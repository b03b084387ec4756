//! What the bot says about AI feedback: where answers go, and each choice.

use crate::ai::Reviewer;

pub const NO_ENDPOINT: &str = "AI feedback needs a model endpoint, which the bot's operator sets (`ai.base_url`); this bot has none, so nothing was changed.";

/// A server's AI feedback setting; on says who receives the answers.
pub fn server_line(on: bool, reviewer: Option<&Reviewer>) -> String {
    match (on, reviewer) {
        (true, Some(r)) => format!(
            "on: each written answer in a solo interview, with its question, key points and model answer, is sent to **{}** (model `{}`) for a second opinion. People can opt out with `/privacy ai feedback:off`",
            r.host(),
            r.model()
        ),
        (true, None) => "on, but the bot has no model endpoint now, so the rubric alone grades".into(),
        (false, _) => "off (the rubric alone grades)".into(),
    }
}

/// What AI feedback sends where, the server's switch and your own choice.
pub fn explain(endpoint: Option<(&str, &str)>, server_on: bool, opted_out: bool) -> String {
    let Some((host, model)) = endpoint else {
        return "This bot has no AI model configured: answers are graded by the bot's own rubric and never leave it.".into();
    };
    let yours = if opted_out {
        "**off**: your answers are never sent to the model. `/privacy ai feedback:on` undoes it."
    } else {
        "**on** where a server turned it on. `/privacy ai feedback:off` keeps your answers from being sent."
    };
    format!(
        "When a server turns AI feedback on (`/config ai_feedback:on`), each answer you write in a solo interview is sent, with its question, key points and model answer, to **{host}** (model `{model}`), which returns a second opinion shown beside the rubric's. Nothing else is sent: not your name, not your Discord id. Replies are cached by question and answer text, so the same answer is not sent twice; `/privacy delete` removes the cached ones of yours.\nThis server: **{}**. You: {yours}",
        if server_on { "on" } else { "off" }
    )
}
