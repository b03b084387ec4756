//! The model's opinion as terminal text, marked as the model's.

use crate::interview::{Judgement, OpinionShown, Trouble};
use std::fmt::Write;

pub fn opinion(o: &OpinionShown) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n🤖 The model's opinion ({}; an AI's reading, not the rubric's verdict):",
        o.opinion.model
    );
    for (i, p) in o.opinion.points.iter().enumerate() {
        let mark = match p.judgement {
            Judgement::Covered => "✓",
            Judgement::Partly => "½",
            Judgement::Missed => "✗",
        };
        let point = o.key_points.get(i).map_or("", String::as_str);
        let quote = match (p.quote.is_empty(), p.quoted) {
            (true, _) => String::new(),
            (false, true) => format!(" (“{}”)", p.quote),
            (false, false) => " (quote not found in the answer: no credit)".into(),
        };
        let _ = writeln!(out, "  {mark} {point} — {}{quote}", p.reason);
    }
    let _ = writeln!(out, "  {}", o.opinion.feedback);
    let _ = writeln!(out, "  Follow-up it suggests: {}", o.opinion.follow_up);
    let line = o.effect_line();
    let _ = writeln!(out, "  {line}");
    out
}

pub fn unavailable(t: Trouble) -> String {
    format!(
        "🤖 AI feedback is unavailable ({}); this session goes on with the rubric alone.\n",
        t.text()
    )
}
