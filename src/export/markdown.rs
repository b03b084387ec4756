//! The Markdown export: readable as it is, and as rendered.

use super::{date_time, Export, ExportQuestion};
use std::fmt::Write;

pub fn to_markdown(e: &Export) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Interview #{} · {}\n", e.session_id, e.candidate);
    let _ = writeln!(out, "- Kind: {}", e.kind);
    let _ = writeln!(out, "- Status: {}", e.status);
    let _ = writeln!(out, "- Started: {}", date_time(e.started));
    if let Some(end) = e.ended {
        let _ = writeln!(out, "- Ended: {}", date_time(end));
    }
    let _ = writeln!(
        out,
        "- Questions: {} · points: {:.2}",
        e.questions.len(),
        e.total_points()
    );
    for q in &e.questions {
        question(&mut out, q);
    }
    out.push_str("\n## Notes\n\n");
    if e.notes.is_empty() {
        out.push_str("None.\n");
    }
    for n in &e.notes {
        let _ = writeln!(out, "- {}", one_line(n));
    }
    out
}

fn question(out: &mut String, q: &ExportQuestion) {
    let _ = writeln!(
        out,
        "\n## {}. {} · {} (`{}`)\n",
        q.number, q.topic, q.difficulty, q.question_id
    );
    let _ = writeln!(out, "{}\n", quote(&q.prompt));
    let score = q
        .score
        .map(|s| format!("{s}/100"))
        .unwrap_or_else(|| "not scored".into());
    let _ = writeln!(
        out,
        "**Score:** {score} · {:.2} points · {} · hints: {}{}\n",
        q.points,
        if q.outcome.is_empty() {
            "open"
        } else {
            &q.outcome
        },
        q.hints_used,
        q.self_rating
            .map(|r| format!(" · self-rating: {r}/5"))
            .unwrap_or_default()
    );
    out.push_str("### Your answer\n\n");
    if q.answer.is_empty() {
        out.push_str("(nothing typed)\n\n");
    } else {
        let _ = writeln!(out, "{}\n", quote(&q.answer));
    }
    out.push_str("### Key points covered\n\n");
    if q.covered.is_empty() {
        out.push_str("None.\n");
    }
    for (point, heard) in &q.covered {
        if heard.is_empty() {
            let _ = writeln!(out, "- [x] {}", one_line(point));
        } else {
            let _ = writeln!(
                out,
                "- [x] {} (heard: \"{}\")",
                one_line(point),
                one_line(heard)
            );
        }
    }
    out.push_str("\n### Key points missed\n\n");
    if q.missed.is_empty() {
        out.push_str("None.\n");
    }
    for point in &q.missed {
        let _ = writeln!(out, "- [ ] {}", one_line(point));
    }
    let _ = writeln!(out, "\n### Model answer\n\n{}", quote(&q.model_answer));
}

/// Text as a Markdown block quote, so nothing in it becomes a heading.
fn quote(text: &str) -> String {
    text.lines()
        .map(|l| format!("> {l}").trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
