//! The read-only reports (notes, history, stats, leaderboard) as text.

use crate::store::{
    HistoryRow, Leaderboard, LeaderboardQuery, NoteFilter, NoteRow, Scope, UserStats,
};
use std::fmt::Write;

pub fn notes(notes: &[NoteRow], filter: NoteFilter) -> String {
    let mut out = String::new();
    if notes.is_empty() {
        let _ = writeln!(
            out,
            "No {} notes.",
            match filter {
                NoteFilter::Open => "open",
                NoteFilter::Resolved => "resolved",
                NoteFilter::All => "",
            }
            .trim()
        );
        return out;
    }
    for n in notes {
        let by = n
            .author_name
            .as_deref()
            .map(|a| format!(" (from {a})"))
            .unwrap_or_default();
        let state = if n.resolved { "resolved" } else { "open" };
        let _ = writeln!(out, "#{:<5} [{state}] {}{by}", n.id, n.text);
    }
    out
}

pub fn history(rows: &[HistoryRow]) -> String {
    let mut out = String::new();
    if rows.is_empty() {
        let _ = writeln!(
            out,
            "No sessions yet: start one with `interview-bot practice`."
        );
        return out;
    }
    for r in rows {
        let avg = super::render::average_text(r.average);
        let topics = if r.topics.is_empty() {
            "any topic"
        } else {
            r.topics.as_str()
        };
        let _ = writeln!(
            out,
            "#{:<5} {} {:<9} {:<9} {} ({}) · {} question(s) · average {avg} · {:.2} points",
            r.session_id,
            r.kind,
            r.status,
            r.difficulty,
            topics,
            date(r.started.millis()),
            r.questions,
            r.points
        );
    }
    out
}

pub fn stats(s: &UserStats) -> String {
    let mut out = String::new();
    let avg = super::render::average_text(s.average);
    let _ = writeln!(
        out,
        "Sessions: {} · questions answered: {} · average {avg} · {:.2} points · streak: {} day(s)",
        s.sessions, s.answered, s.points, s.streak_days
    );
    for t in &s.by_topic {
        let _ = writeln!(
            out,
            "  {:<20} {:>3} answered, average {:.0}",
            t.topic, t.answered, t.average
        );
    }
    if !s.weakest.is_empty() {
        let _ = writeln!(
            out,
            "Weakest: {}",
            s.weakest
                .iter()
                .map(|t| t.topic.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out
}

pub fn leaderboard(b: &Leaderboard, q: &LeaderboardQuery) -> String {
    let mut out = String::new();
    let scope = match q.scope {
        Scope::Guild(g) => format!("server {g}"),
        Scope::All => "everyone".into(),
    };
    let _ = writeln!(
        out,
        "Leaderboard · {scope} · {} · {} · {}{}",
        q.topic.as_deref().unwrap_or("all topics"),
        q.difficulty
            .map(|d| d.as_str())
            .unwrap_or("all difficulties"),
        q.period.as_str(),
        if q.panel_only {
            " · panel answers only"
        } else {
            ""
        }
    );
    if b.top.is_empty() {
        let _ = writeln!(
            out,
            "Nobody yet: {} answered questions are needed to be listed.",
            crate::store::MIN_ANSWERED
        );
    }
    for r in &b.top {
        let _ = writeln!(
            out,
            "{:>3}. {:<24} {:>8.2} pts  avg {:>3.0}  {:>4} answered",
            r.rank, r.name, r.points, r.average, r.answered
        );
    }
    if let Some(me) = &b.me {
        let _ = writeln!(out, "You: #{} with {:.2} points", me.rank, me.points);
    }
    out
}

/// A UTC calendar date for an epoch-millisecond time.
pub fn date(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    // Civil-from-days (Howard Hinnant's algorithm): no date crate needed.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_utc_calendar_days() {
        assert_eq!(super::date(0), "1970-01-01");
        assert_eq!(super::date(1_795_219_200_000), "2026-11-21");
    }
}
