//! The model's opinion of an answer, marked as such, and the one notice
//! that AI feedback is unavailable.

use super::text::{self, bullets, truncate};
use super::{Card, GREY, PURPLE};
use crate::interview::{Judgement, OpinionShown, Trouble};

pub fn mark(j: Judgement) -> &'static str {
    match j {
        Judgement::Covered => "✓",
        Judgement::Partly => "½",
        Judgement::Missed => "✗",
    }
}

pub fn opinion_card(o: &OpinionShown) -> Card {
    let lines: Vec<String> = o
        .opinion
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let point = o.key_points.get(i).map_or("", String::as_str);
            let quote = if p.quote.is_empty() {
                String::new()
            } else if p.quoted {
                format!(" (“{}”)", truncate(&p.quote, 120))
            } else {
                " (quote not found in the answer: no credit)".to_string()
            };
            format!(
                "{} {} — {}{quote}",
                mark(p.judgement),
                truncate(point, 120),
                p.reason
            )
        })
        .collect();
    Card::new(
        &format!(
            "🤖 The model's opinion of answer {}",
            o.position + 1
        ),
        &format!("{}\n\n{}", o.opinion.feedback, o.effect_line()),
        PURPLE,
    )
    .field("Key points, as the model read them", &bullets(&lines, "", text::FIELD))
    .field("Follow-up the model suggests", &o.opinion.follow_up)
    .footer(&format!(
        "An AI model's opinion ({}), not the rubric's verdict: it can add credit, never take any away.",
        o.opinion.model
    ))
}

pub fn unavailable_card(t: Trouble) -> Card {
    Card::new(
        "",
        &format!(
            "🤖 AI feedback is unavailable ({}). This interview goes on with the rubric alone; this is said only once.",
            t.text()
        ),
        GREY,
    )
}
