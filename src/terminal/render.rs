//! Engine effects as terminal text.

use crate::bank::Bank;
use crate::interview::{dimensions_text, Effect, Feedback, Outcome, Summary};
use crate::time::Timestamp;
use std::fmt::Write;
use std::time::Duration;

pub fn duration(d: Duration) -> String {
    let s = d.as_secs_f64().round() as u64;
    if s >= 60 {
        format!("{}:{:02}", s / 60, s % 60)
    } else {
        format!("{:.0}s", d.as_secs_f64().ceil())
    }
}

pub use crate::interview::outcome_text as outcome;
pub use crate::interview::scoring::average_text;

/// The text for one effect, given the time it is shown.
pub fn effect(bank: &Bank, e: &Effect, now: Timestamp) -> String {
    let mut out = String::new();
    match e {
        Effect::Ask {
            number,
            total,
            question_id,
            deadline,
            ..
        } => {
            let Some(q) = bank.question(question_id) else {
                return out;
            };
            let _ = writeln!(
                out,
                "\n━━ Question {number} of {total} · {} · {} ━━",
                bank.topic_title(&q.topic),
                q.difficulty
            );
            let _ = writeln!(out, "{}\n", q.prompt.trim_end());
            let _ = writeln!(out, "⏱ {} to answer. Type your answer; an empty line or /done submits. /hint, /skip, /quit.", duration(now.until(*deadline)));
        }
        Effect::Remind { deadline, .. } => {
            let _ = writeln!(
                out,
                "⏰ {} left: finish your point, then submit with an empty line.",
                duration(now.until(*deadline))
            );
        }
        Effect::Hint {
            number,
            text,
            penalty,
            ..
        } => {
            let _ = writeln!(
                out,
                "💡 Hint {number}: {text}  (−{penalty} points on this question so far)"
            );
        }
        Effect::FollowUp { text, .. } => {
            let _ = writeln!(out, "↪ Follow-up: {text}");
        }
        Effect::Feedback(f) => out.push_str(&feedback(f)),
        Effect::Scored {
            score: Some(s),
            points,
            ..
        } => {
            let _ = writeln!(out, "Score: {s}/100 · {points:.2} points");
        }
        Effect::Ended(summary) => out.push_str(&self::summary(bank, summary)),
        Effect::AiOpinion(o) => out.push_str(&super::opinion::opinion(o)),
        Effect::AiUnavailable(t) => out.push_str(&super::opinion::unavailable(*t)),
        Effect::AnswerSaved { .. }
        | Effect::ScoreRecorded { .. }
        | Effect::Scored { .. }
        | Effect::ParticipantLeft { .. } => {}
    }
    out
}

fn feedback(f: &Feedback) -> String {
    let mut out = String::new();
    let head = match f.outcome {
        Outcome::TimedOut => "⌛ Time is up: what you typed was submitted.",
        Outcome::Unanswered => "⌛ Time is up, and nothing was typed: 0 points for this one.",
        Outcome::Skipped => "Skipped.",
        Outcome::Answered => "Answer received.",
    };
    let _ = writeln!(out, "\n{head}");
    if f.outcome.has_answer() {
        let _ = writeln!(
            out,
            "Key points covered: {}/{} ({}%)",
            f.covered.len(),
            f.covered.len() + f.missed.len(),
            f.coverage
        );
    }
    for p in &f.covered {
        let _ = writeln!(out, "  ✓ {} (heard: “{}”)", p.point, p.heard);
    }
    for p in &f.missed {
        let _ = writeln!(out, "  ✗ {p}");
    }
    let _ = writeln!(out, "Model answer: {}", f.model_answer);
    for (i, q) in f.follow_ups.iter().enumerate() {
        let _ = writeln!(out, "Follow-up {}: {q}", i + 1);
    }
    if f.rate_until.is_some() {
        let _ = writeln!(
            out,
            "Rate your answer from 1 (weak) to 5 (strong), or press Enter to skip:"
        );
    }
    out
}

pub fn summary(bank: &Bank, s: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\n━━ Summary ({}) ━━", s.status.as_str());
    for r in &s.rows {
        let score = r
            .score
            .map(|s| format!("{s:>3}/100"))
            .unwrap_or_else(|| "not scored".into());
        let _ = writeln!(
            out,
            "{:>2}. {:<40} {:<7} {:<10} {} · {:.2} pts{}",
            r.position + 1,
            r.question_id,
            r.difficulty.as_str(),
            outcome(r.outcome),
            score,
            r.points,
            if r.hints_used > 0 {
                format!(" · {} hint(s)", r.hints_used)
            } else {
                String::new()
            }
        );
        if let Some(d) = r.dimensions {
            let _ = writeln!(out, "      {}", dimensions_text(&d));
        }
    }
    if !s.topics.is_empty() {
        let _ = writeln!(out, "By topic:");
        for t in &s.topics {
            let avg = average_text(t.average);
            let _ = writeln!(
                out,
                "  {:<28} {} question(s), average {avg}",
                bank.topic_title(&t.topic),
                t.questions
            );
        }
    }
    let avg = average_text(s.average());
    let _ = writeln!(out, "Total: average {avg}, {:.2} points", s.total_points());
    if s.notes.is_empty() {
        let _ = writeln!(out, "No follow-up notes: every key point was covered.");
    } else {
        let _ = writeln!(out, "Follow-up notes saved ({}):", s.notes.len());
        for n in &s.notes {
            let _ = writeln!(out, "  • {}", n.text);
        }
    }
    out
}
