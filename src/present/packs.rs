//! What `/pack` says: an import's outcome, a server's pack, the problems
//! of a file that was refused, a removal.

use super::text::{self, truncate};
use crate::bank::BankErrors;
use crate::runtime::{GuildPack, ImportedPack};
use crate::store::StoredPack;

/// Problems listed in the message itself; all of them go in problems.txt.
const LISTED: usize = 8;

pub fn imported(name: &str, done: &ImportedPack) -> String {
    let topics: Vec<String> = done
        .by_topic
        .iter()
        .map(|(t, n)| {
            let own = if done.new_topics.contains(t) {
                " (new)"
            } else {
                ""
            };
            format!("`{t}` {n}{own}")
        })
        .collect();
    let replaced = done
        .replaced
        .map(|n| format!(" It replaces the previous pack ({n} questions)."))
        .unwrap_or_default();
    format!(
        "Imported `{name}`: {} questions ({}).{replaced} This server's /topics, /question, interviews, panels and reviews use them now.",
        done.questions,
        topics.join(", ")
    )
}

/// A server's pack: its file, who imported it and when, and its topics; or
/// why it no longer applies.
pub fn listing(held: &GuildPack) -> String {
    let s = &held.stored;
    let by = s
        .imported_by
        .map(|u| format!("by <@{u}> "))
        .unwrap_or_default();
    let mut lines = vec![format!(
        "`{}`: {} questions, imported {by}<t:{}:R>.",
        s.file_name,
        s.questions,
        s.imported_at.millis() / 1000
    )];
    match &held.built {
        Ok((p, bank)) => {
            for (topic, n) in p.counts_by_topic() {
                let own = if p.topics.contains_key(topic) { " (this server's own)" } else { "" };
                lines.push(format!("• **{}** (`{topic}`{own}): {n}", bank.topic_title(topic)));
            }
        }
        Err(problems) => lines.push(format!(
            "It no longer fits the shipped bank ({} problem(s), first: {}), so this server sees the shipped questions only: /pack export it, fix it and import it again.",
            problems.len(),
            problems.first().map(ToString::to_string).unwrap_or_default()
        )),
    }
    truncate(&lines.join("\n"), text::CONTENT)
}

/// The first few problems, each `file:line: what to fix`; true when there
/// are more than fit, so that all of them go in an attached problems.txt.
pub fn problems(name: &str, problems: &BankErrors) -> (String, bool) {
    let n = problems.0.len();
    let head = format!(
        "`{name}` has {n} problem{}, so nothing was imported and this server's pack stays as it was. Fix {} and import it again:",
        if n == 1 { "" } else { "s" },
        if n == 1 { "it" } else { "them" }
    );
    let listed: Vec<String> = problems
        .0
        .iter()
        .take(LISTED)
        .map(|p| format!("• {p}"))
        .collect();
    let body = format!("{head}\n{}", listed.join("\n"));
    if n > LISTED || body.chars().count() > text::CONTENT {
        let cut = truncate(&body, text::CONTENT - 40);
        return (format!("{cut}\n… all {n} are in problems.txt."), true);
    }
    (body, false)
}

pub fn removed(old: Option<&StoredPack>) -> String {
    match old {
        Some(old) => format!(
            "Removed `{}` ({} questions): this server sees the shipped questions only. /pack import brings a pack back.",
            old.file_name, old.questions
        ),
        None => "This server has no question pack: nothing to remove.".to_string(),
    }
}
