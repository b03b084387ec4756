//! The CSV export: one row per question (RFC 4180 quoting), for a
//! spreadsheet. Lists inside a cell are separated by " | ".

use super::Export;

const HEADER: [&str; 14] = [
    "number",
    "question_id",
    "topic",
    "difficulty",
    "outcome",
    "score",
    "points",
    "hints_used",
    "self_rating",
    "answer",
    "key_points_covered",
    "key_points_missed",
    "model_answer",
    "notes",
];

pub fn to_csv(e: &Export) -> String {
    let mut out = row(HEADER.iter().map(|h| h.to_string()));
    for q in &e.questions {
        let covered: Vec<&str> = q.covered.iter().map(|(p, _)| p.as_str()).collect();
        out.push_str(&row([
            q.number.to_string(),
            q.question_id.clone(),
            q.topic.clone(),
            q.difficulty.clone(),
            q.outcome.clone(),
            q.score.map(|s| s.to_string()).unwrap_or_default(),
            format!("{:.2}", q.points),
            q.hints_used.to_string(),
            q.self_rating.map(|r| r.to_string()).unwrap_or_default(),
            q.answer.clone(),
            covered.join(" | "),
            q.missed.join(" | "),
            q.model_answer.clone(),
            String::new(),
        ]));
    }
    if !e.notes.is_empty() {
        let mut notes = vec![String::new(); HEADER.len() - 1];
        notes[1] = "(notes)".into();
        notes.push(e.notes.join(" | "));
        out.push_str(&row(notes));
    }
    out
}

fn row(cells: impl IntoIterator<Item = String>) -> String {
    let mut line = cells
        .into_iter()
        .map(|c| cell(&c))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// A cell, quoted when it holds a comma, quote or line break. A leading
/// `=`, `+`, `-` or `@` is prefixed with `'` so a spreadsheet never runs
/// an answer as a formula.
fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a, b"), "\"a, b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=SUM(A1)"), "'=SUM(A1)");
    }
}
