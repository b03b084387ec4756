//! Read-only reports as cards: leaderboards, stats, notes, the bank's
//! topics and a quick question.

use super::card::{Card, BLUE};
use super::text::channel_link;
use super::text::{self, bullets, spoiler, truncate};
use crate::bank::{Bank, BankErrors, Question};
use crate::export::Export;
use crate::interview::scoring::average_text;
use crate::runtime::forget::Forgotten;
use crate::store::{GuildSettings, HistoryRow};
use crate::store::{Leaderboard, LeaderboardQuery, NoteRow, Period, UserStats, MIN_ANSWERED};
use std::path::Path;
use std::sync::{Arc, Mutex, Weak};

/// A server's top 10 and the caller's own rank; `bank` names the topic.
pub fn leaderboard(bank: &Bank, q: &LeaderboardQuery, board: &Leaderboard) -> Card {
    let rows: Vec<String> = board
        .top
        .iter()
        .map(|r| {
            format!(
                "**{}.** {} · {:.2} pts · avg {:.0}/100 · {} answered",
                r.rank,
                truncate(&r.name, 64),
                r.points,
                r.average,
                r.answered
            )
        })
        .collect();
    let scope = match q.period {
        Period::All => "all time".to_string(),
        p => format!("this {}", p.as_str()),
    };
    let filter = [
        q.panel_only.then(|| "panels".to_string()),
        q.topic.as_deref().map(|t| bank.topic_title(t).to_string()),
        q.difficulty.map(|d| d.as_str().to_string()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    let title = if filter.is_empty() {
        format!("Leaderboard · {scope}")
    } else {
        format!("Leaderboard · {filter} · {scope}")
    };
    let body = if rows.is_empty() {
        format!("Nobody is on the board yet: answer at least {MIN_ANSWERED} questions with /interview start.")
    } else {
        bullets(&rows, "", text::DESCRIPTION)
    };
    let mine = match &board.me {
        Some(r) => format!(
            "#{} · {:.2} pts · avg {:.0}/100 · {} answered",
            r.rank, r.points, r.average, r.answered
        ),
        None => format!(
            "Not ranked yet (at least {MIN_ANSWERED} answered questions, and not hidden with /privacy hide)."
        ),
    };
    Card::new(&title, &body, BLUE).field("Your rank", &mine)
}

/// A person's record: totals, streak, averages by topic, weakest topics.
pub fn stats(bank: &Bank, name: &str, s: &UserStats, panel_only: bool) -> Card {
    let topics: Vec<String> = s
        .by_topic
        .iter()
        .map(|t| {
            format!(
                "{}: avg {:.0}/100 over {}",
                bank.topic_title(&t.topic),
                t.average,
                t.answered
            )
        })
        .collect();
    let weakest: Vec<String> = s
        .weakest
        .iter()
        .map(|t| format!("{} ({:.0}/100)", bank.topic_title(&t.topic), t.average))
        .collect();
    let avg = average_text(s.average);
    let kind = if panel_only { "Panel stats" } else { "Stats" };
    Card::new(
        &format!("{kind} · {}", truncate(name, 200)),
        &format!(
            "{} sessions · {} questions answered · average {avg} · {:.2} points\nStreak: {} day(s) in a row",
            s.sessions, s.answered, s.points, s.streak_days
        ),
        BLUE,
    )
    .field("By topic", &bullets(&topics, "•", text::FIELD))
    .field("Weakest topics", &bullets(&weakest, "•", text::FIELD))
}

/// Someone's follow-up notes (at most the 50 the store returns).
pub fn notes(name: &str, rows: &[NoteRow]) -> Card {
    let lines: Vec<String> = rows
        .iter()
        .map(|n| {
            let by = n
                .author_name
                .as_deref()
                .map(|a| format!(" (by {})", truncate(a, 40)))
                .unwrap_or_default();
            let done = if n.resolved { " ✓" } else { "" };
            format!("**#{}**{done} {}{by}", n.id, truncate(&n.text, 300))
        })
        .collect();
    let body = if lines.is_empty() {
        "No notes here. Add one with /note add, or finish an interview: missed key points become notes.".to_string()
    } else {
        bullets(&lines, "", text::DESCRIPTION)
    };
    Card::new(&format!("Notes · {}", truncate(name, 200)), &body, BLUE)
        .footer("Resolve one with /note resolve id:<number>")
}

/// `topics` for a bank, drawn once while the bank lives. Banks never
/// change once built (a reload or a pack makes a new one), and counting and
/// formatting 600 questions on every command was the costliest part of a
/// `/topics` at hundreds a second.
pub fn topics_card(bank: &Arc<Bank>) -> Card {
    static CARDS: Mutex<Vec<(Weak<Bank>, Card)>> = Mutex::new(Vec::new());
    let mut cards = CARDS.lock().unwrap_or_else(|p| p.into_inner());
    cards.retain(|(b, _)| b.strong_count() > 0);
    let same = |b: &Weak<Bank>| b.upgrade().is_some_and(|b| Arc::ptr_eq(&b, bank));
    if let Some((_, card)) = cards.iter().find(|(b, _)| same(b)) {
        return card.clone();
    }
    let card = topics(bank);
    cards.push((Arc::downgrade(bank), card.clone()));
    card
}

/// The bank's topics with their question counts per difficulty.
pub fn topics(bank: &Bank) -> Card {
    let stats = bank.stats();
    let lines: Vec<String> = stats
        .topics
        .iter()
        .map(|r| {
            format!(
                "**{}** (`{}`): easy {} · medium {} · hard {}",
                bank.topic_title(&r.topic),
                r.topic,
                r.easy,
                r.medium,
                r.hard
            )
        })
        .collect();
    Card::new(
        &format!("{} topics · {} questions", stats.topics.len(), stats.total),
        &bullets(&lines, "", text::DESCRIPTION),
        BLUE,
    )
    .footer("Start one with /interview start topic:<name>")
}

/// One question without a timer: key points and model answer as spoilers.
pub fn quick_question(bank: &Bank, q: &Question) -> Card {
    let points: Vec<String> = q.key_points.iter().map(|k| k.point.clone()).collect();
    Card::new(
        &format!("{} · {}", bank.topic_title(&q.topic), q.difficulty.as_str()),
        &truncate(q.prompt.trim_end(), 3000),
        BLUE,
    )
    .field(
        "Key points (spoiler)",
        &spoiler(&points.join("\n"), text::FIELD),
    )
    .field(
        "Model answer (spoiler)",
        &spoiler(&q.model_answer, text::FIELD),
    )
    .footer("Practise it timed, with scoring: /interview start")
}

/// A server's settings, after `/config` changed some (`saved`) or not.
pub fn settings(settings: &GuildSettings, saved: bool, ai_line: &str) -> Card {
    Card::new(if saved { "Settings saved" } else { "Settings" }, "", BLUE)
        .field(
            "Default minutes",
            &settings
                .default_minutes
                .map(|m| m.to_string())
                .unwrap_or_else(|| "per question (easy 3, medium 5, hard 8)".into()),
        )
        .field(
            "Interview channel",
            &settings
                .interview_channel_id
                .map(channel_link)
                .unwrap_or_else(|| "any".into()),
        )
        .field(
            "Interviewer role",
            &settings
                .interviewer_role_id
                .map(|r| format!("<@&{r}>"))
                .unwrap_or_else(|| "none (Manage Server only)".into()),
        )
        .field(
            "Review channel",
            &settings
                .review_channel_id
                .map(channel_link)
                .unwrap_or_else(|| "none (reminders go as DMs)".into()),
        )
        .field("AI feedback", ai_line)
}

/// After `/privacy delete`: what was deleted, and what the person left.
pub fn deleted(f: &Forgotten) -> String {
    match f.left {
        0 => "Your data is deleted.".to_string(),
        1 => "Your data is deleted. You left the interview you were in; its thread says so."
            .to_string(),
        n => format!(
            "Your data is deleted. You left the {n} interviews you were in; their threads say so."
        ),
    }
}

/// One of a person's interviews, as `/export` offers it while they type.
pub fn session_choice(bank: &Bank, r: &HistoryRow) -> String {
    let topics: Vec<&str> = r
        .topics
        .split(',')
        .filter(|t| !t.is_empty())
        .map(|t| bank.topic_title(t))
        .collect();
    let topics = if topics.is_empty() {
        "any topic".to_string()
    } else {
        topics.join(", ")
    };
    let label = format!(
        "#{} · {topics} · {} question(s) · {}",
        r.session_id,
        r.questions,
        crate::export::date_time(r.started)
    );
    truncate(&label, 100)
}

/// Beside the exported file.
pub fn exported(session: i64, export: &Export) -> String {
    format!(
        "Interview #{session}: {} question(s), {:.2} points. The file has your answers, the key points covered and missed, the model answers, scores and notes.",
        export.questions.len(),
        export.total_points()
    )
}

/// After `/bank reload`: the new bank's size, or its first problems (paths
/// relative to the bank's folder, so no host path is shown).
pub fn reloaded(result: &Result<Arc<Bank>, BankErrors>, dir: &Path) -> String {
    match result {
        Ok(bank) => format!(
            "Bank reloaded: {} questions in {} topics. New interviews use it now.",
            bank.questions.len(),
            bank.topics.len()
        ),
        Err(errors) => {
            let first: Vec<String> = errors
                .0
                .iter()
                .take(10)
                .map(|p| format!("• {}", p.relative_to(dir)))
                .collect();
            let text = format!(
                "The bank has {} problem(s), so the old bank stays in use. First ones:\n{}",
                errors.0.len(),
                first.join("\n")
            );
            truncate(&text, text::CONTENT)
        }
    }
}
