//! Strict checks on the model's reply: anything that does not parse or does
//! not fit the schema is no reply at all, since some servers accept a schema
//! without enforcing it.

use crate::interview::{Judgement, PointOpinion};
use serde::Deserialize;

const REASON_MAX: usize = 400;
const FEEDBACK_MAX: usize = 1000;
const FOLLOW_UP_MAX: usize = 300;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Reply {
    key_points: Vec<ReplyPoint>,
    feedback: String,
    follow_up: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplyPoint {
    point: usize,
    verdict: String,
    reason: String,
    quote: String,
}

/// The checked reply: one opinion per key point, in bank order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub points: Vec<PointOpinion>,
    pub feedback: String,
    pub follow_up: String,
}

/// Parses and checks `content` for a question with `key_points` points;
/// the error says what did not fit (for the log, never for users).
pub fn check(content: &str, key_points: usize, answer: &str) -> Result<Checked, String> {
    let reply: Reply =
        serde_json::from_str(content.trim()).map_err(|e| format!("not the schema's JSON: {e}"))?;
    if reply.key_points.len() != key_points {
        return Err(format!(
            "{} key point verdicts for {key_points} key points",
            reply.key_points.len()
        ));
    }
    let mut slots: Vec<Option<PointOpinion>> = vec![None; key_points];
    for p in reply.key_points {
        let slot = p
            .point
            .checked_sub(1)
            .and_then(|i| slots.get_mut(i))
            .ok_or_else(|| format!("key point number {} out of range", p.point))?;
        if slot.is_some() {
            return Err(format!("key point {} judged twice", p.point));
        }
        let judgement = Judgement::parse(p.verdict.trim())
            .ok_or_else(|| format!("unknown verdict {:?}", p.verdict))?;
        let reason = bounded(&p.reason, REASON_MAX, "reason")?;
        let quote = p.quote.trim().trim_matches(['"', '“', '”', '\'']).trim();
        if quote.chars().count() > REASON_MAX {
            return Err("quote too long".into());
        }
        *slot = Some(PointOpinion {
            judgement,
            reason,
            quoted: !quote.is_empty() && quoted_in(quote, answer),
            quote: quote.to_string(),
        });
    }
    Ok(Checked {
        points: slots.into_iter().flatten().collect(),
        feedback: bounded(&reply.feedback, FEEDBACK_MAX, "feedback")?,
        follow_up: bounded(&reply.follow_up, FOLLOW_UP_MAX, "follow_up")?,
    })
}

fn bounded(text: &str, max: usize, what: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("empty {what}"));
    }
    if t.chars().count() > max {
        return Err(format!("{what} longer than {max} characters"));
    }
    Ok(t.to_string())
}

/// Whether `quote` is in `answer`, ignoring case and spacing.
fn quoted_in(quote: &str, answer: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    norm(answer).contains(&norm(quote))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWER: &str = "Defaults are evaluated   once, so use None.";

    fn reply(points: &str) -> String {
        format!(r#"{{"key_points": [{points}], "feedback": "Good.", "follow_up": "Why?"}}"#)
    }

    #[test]
    fn a_fitting_reply_is_put_in_bank_order_with_its_quotes_checked() {
        let r = reply(
            r#"{"point": 2, "verdict": "partly", "reason": "r2", "quote": "use none"},
               {"point": 1, "verdict": "covered", "reason": "r1", "quote": "“evaluated once”"}"#,
        );
        let c = check(&r, 2, ANSWER).expect("fits");
        assert_eq!(c.points[0].judgement, Judgement::Covered);
        assert!(c.points[0].quoted && c.points[1].quoted);
        let invented = reply(
            r#"{"point": 1, "verdict": "covered", "reason": "r", "quote": "a sentinel object"},
               {"point": 2, "verdict": "missed", "reason": "r", "quote": ""}"#,
        );
        let c = check(&invented, 2, ANSWER).expect("fits");
        assert!(!c.points[0].quoted, "a quote the answer does not contain");
    }

    #[test]
    fn replies_that_do_not_fit_are_refused() {
        let one = r#"{"point": 1, "verdict": "covered", "reason": "r", "quote": ""}"#;
        for bad in [
            "not json".to_string(),
            reply(one),
            reply(&format!("{one}, {one}")),
            reply(
                r#"{"point": 1, "verdict": "great", "reason": "r", "quote": ""}, {"point": 2, "verdict": "missed", "reason": "r", "quote": ""}"#,
            ),
            reply(
                r#"{"point": 1, "verdict": "missed", "reason": " ", "quote": ""}, {"point": 3, "verdict": "missed", "reason": "r", "quote": ""}"#,
            ),
            r#"{"key_points": [], "feedback": "x", "follow_up": "y", "score": 10}"#.to_string(),
        ] {
            assert!(check(&bad, 2, ANSWER).is_err(), "{bad}");
        }
    }
}
