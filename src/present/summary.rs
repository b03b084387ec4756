//! The end of a session: a solo candidate's summary card, or a panel's
//! card and one per candidate (with the interviewers' scores revealed).

use super::text::{self, bullets, name, truncate};
use super::{Card, BLUE, GREEN};
use crate::bank::Bank;
use crate::interview::outcome_text;
use crate::interview::scoring::average_text;
use crate::interview::{dimensions_text, CandidateRow, Outcome, SessionState, Summary};

pub fn solo_summary_card(bank: &Bank, s: &Summary) -> Card {
    let rows: Vec<String> = s
        .rows
        .iter()
        .map(|r| {
            let score = r
                .score
                .map(|s| format!("{s}/100"))
                .unwrap_or_else(|| "not scored".into());
            let hints = if r.hints_used > 0 {
                format!(" · {} hint(s)", r.hints_used)
            } else {
                String::new()
            };
            format!(
                "{}. {} · {} · {} · {score} · {:.2} pts{hints}",
                r.position + 1,
                bank.topic_title(&r.topic),
                r.difficulty.as_str(),
                outcome_text(r.outcome),
                r.points
            )
        })
        .collect();
    let topics: Vec<String> = s
        .topics
        .iter()
        .map(|t| {
            let avg = average_text(t.average);
            format!(
                "{}: {} question(s), average {avg}",
                bank.topic_title(&t.topic),
                t.questions
            )
        })
        .collect();
    let avg = average_text(s.average());
    let notes: Vec<String> = s.notes.iter().map(|n| n.text.clone()).collect();
    let notes_text = if notes.is_empty() {
        "None: every key point was covered.".to_string()
    } else {
        format!(
            "{} saved (see /notes):\n{}",
            notes.len(),
            bullets(&notes, "•", text::FIELD - 40)
        )
    };
    Card::new(
        &format!("Summary ({})", s.status.as_str()),
        &bullets(&rows, "", 3000),
        GREEN,
    )
    .field("By topic", &bullets(&topics, "•", text::FIELD))
    .field(
        "Total",
        &format!("average {avg} · {:.2} points", s.total_points()),
    )
    .field("Follow-up notes", &notes_text)
}

fn score_text(score: Option<u32>) -> String {
    score
        .map(|s| format!("{s}/100"))
        .unwrap_or_else(|| "not scored".into())
}

fn outcome(o: Option<Outcome>) -> &'static str {
    match o {
        // Panel answers may be spoken: "no answer" would be wrong.
        Some(Outcome::Unanswered) => "nothing written",
        other => outcome_text(other),
    }
}

/// One card for the panel and one per candidate.
/// One candidate's questions with the interviewers' scores, their
/// average on each dimension, and the interviewers' notes.
fn candidate_card(bank: &Bank, state: &SessionState, s: &Summary, c: &CandidateRow) -> Card {
    let rows: Vec<String> = s
        .rows
        .iter()
        .filter(|r| r.candidate == c.candidate)
        .map(|r| {
            let mut line = format!(
                "{}. {} · {} · {} · {} · {:.2} pts",
                r.position + 1,
                bank.topic_title(&r.topic),
                r.difficulty.as_str(),
                outcome(r.outcome),
                score_text(r.score),
                r.points
            );
            if let Some(d) = &r.dimensions {
                line.push_str(&format!("\n  {}", dimensions_text(d)));
            }
            for d in &r.disagreements {
                line.push_str(&format!(
                    "\n  ⚖ interviewers disagreed on {}: {} to {}",
                    d.dimension, d.low, d.high
                ));
            }
            line
        })
        .collect();
    let scored: Vec<[f64; 3]> = s
        .rows
        .iter()
        .filter(|r| r.candidate == c.candidate)
        .filter_map(|r| r.dimensions)
        .collect();
    let overall = (!scored.is_empty()).then(|| {
        let n = scored.len() as f64;
        [0, 1, 2].map(|i| scored.iter().map(|d| d[i]).sum::<f64>() / n)
    });
    let avg = average_text(c.average);
    let notes: Vec<String> = s
        .notes
        .iter()
        .filter(|n| n.subject == c.candidate && n.author.is_some())
        .map(|n| {
            let by = n.author.map(|a| name(state, a)).unwrap_or_default();
            format!("{by}: {}", n.text)
        })
        .collect();
    let mut card = Card::new(
        &format!("{} · summary", truncate(&c.name, 64)),
        &bullets(&rows, "", 3000),
        BLUE,
    )
    .field(
        "Total",
        &format!(
            "average {avg} · {:.2} points{}",
            c.points,
            overall
                .map(|d| format!("\n{}", dimensions_text(&d)))
                .unwrap_or_default()
        ),
    );
    if !notes.is_empty() {
        card = card.field(
            "Interviewer notes (saved to /notes)",
            &bullets(&notes, "•", text::FIELD),
        );
    }
    card
}

pub fn panel_summary_cards(bank: &Bank, state: &SessionState, s: &Summary) -> Vec<Card> {
    let totals: Vec<String> = s
        .candidates
        .iter()
        .map(|c| {
            let avg = average_text(c.average);
            format!(
                "{}: average {avg} · {:.2} points over {} question(s)",
                truncate(&c.name, 64),
                c.points,
                c.questions
            )
        })
        .collect();
    let mut cards = vec![Card::new(
        &format!("Panel summary ({})", s.status.as_str()),
        &format!(
            "Scores are the interviewers' ratings (1-5 on each dimension, mapped to 0-100), revealed now.\n{}\nEvery interviewer note is saved as a follow-up note for its candidate: see /notes.",
            bullets(&totals, "•", 2500)
        ),
        GREEN,
    )];
    cards.extend(
        s.candidates
            .iter()
            .map(|c| candidate_card(bank, state, s, c)),
    );
    cards
}
