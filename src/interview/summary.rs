//! The end-of-session summary and the follow-up notes it leaves behind.

use super::types::*;
use crate::bank::{Bank, Difficulty};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    pub position: usize,
    pub question_id: String,
    pub topic: String,
    pub difficulty: Difficulty,
    pub candidate: UserId,
    pub outcome: Option<Outcome>,
    pub coverage: u32,
    pub hints_used: u32,
    pub score: Option<u32>,
    pub points: f64,
    /// Panel only: mean technical, communication and problem-solving rating.
    pub dimensions: Option<[f64; 3]>,
    /// Panel only: dimensions where interviewers disagreed by 2 or more.
    pub disagreements: Vec<Disagreement>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    pub dimension: &'static str,
    pub low: u8,
    pub high: u8,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TopicRow {
    pub topic: String,
    pub questions: usize,
    pub average: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CandidateRow {
    pub candidate: UserId,
    pub name: String,
    pub questions: usize,
    pub average: Option<f64>,
    pub points: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub kind: SessionKind,
    pub status: Status,
    pub rows: Vec<SummaryRow>,
    pub topics: Vec<TopicRow>,
    pub candidates: Vec<CandidateRow>,
    pub notes: Vec<NoteDraft>,
}

pub const DIMENSIONS: [&str; 3] = ["technical", "communication", "problem solving"];

/// `technical 4.0 · communication 3.5 · problem solving 4.5`.
pub fn dimensions_text(means: &[f64; 3]) -> String {
    DIMENSIONS
        .iter()
        .zip(means)
        .map(|(n, v)| format!("{n} {v:.1}"))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The scores that count towards averages, by the same rule as leaderboards
/// and stats: solo answers that were given (not skipped or blank), and every
/// scored panel answer (panel answers may be spoken).
fn answered_mean<'a>(kind: SessionKind, rows: impl Iterator<Item = &'a SummaryRow>) -> Option<f64> {
    mean(
        rows.filter(|r| kind == SessionKind::Panel || r.outcome.is_some_and(Outcome::has_answer))
            .filter_map(|r| r.score)
            .map(f64::from),
    )
}

fn mean(xs: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| sum / n as f64)
}

impl Summary {
    pub fn of(state: &SessionState, bank: &Bank) -> Summary {
        let rows: Vec<SummaryRow> = state.results.iter().map(row).collect();

        let mut by_topic: BTreeMap<&str, Vec<&SummaryRow>> = BTreeMap::new();
        for r in &rows {
            by_topic.entry(r.topic.as_str()).or_default().push(r);
        }
        let topics = by_topic
            .into_iter()
            .map(|(t, rs)| TopicRow {
                topic: t.to_string(),
                questions: rs.len(),
                average: answered_mean(state.kind, rs.iter().copied()),
            })
            .collect();

        let candidates = state
            .participants
            .iter()
            // Someone who deleted their data gets no card (their rows are gone).
            .filter(|p| p.role == Role::Candidate && !p.user.is_forgotten())
            .map(|p| {
                let mine: Vec<&SummaryRow> =
                    rows.iter().filter(|r| r.candidate == p.user).collect();
                CandidateRow {
                    candidate: p.user,
                    name: p.name.clone(),
                    questions: mine.len(),
                    average: answered_mean(state.kind, mine.iter().copied()),
                    points: (mine.iter().map(|r| r.points).sum::<f64>() * 100.0).round() / 100.0,
                }
            })
            .collect();

        let mut notes = Vec::new();
        for r in &state.results {
            let Some(q) = bank.question(&r.question_id) else {
                continue;
            };
            // A question closed by the end of the session before its deadline,
            // with nothing typed, was never really attempted: no notes for it.
            let cut_short = r.outcome == Some(Outcome::Unanswered)
                && r.answered_at.is_some_and(|t| t < r.deadline);
            // A panel answer given out loud has nothing written to check:
            // its interviewers' notes stand in for the review list.
            let checkable = state.kind == SessionKind::Solo || !r.answer.trim().is_empty();
            if r.outcome.is_some() && !cut_short && checkable {
                for (index, (kp, &hit)) in q.key_points.iter().zip(&r.covered).enumerate() {
                    if !hit {
                        notes.push(NoteDraft {
                            subject: r.candidate,
                            author: None,
                            question_id: r.question_id.clone(),
                            key_point: Some(index),
                            text: format!("Review ({}): {}", bank.topic_title(&q.topic), kp.point),
                        });
                    }
                }
            }
            for c in &r.scorecards {
                if let Some(text) = c.note.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                    notes.push(NoteDraft {
                        subject: r.candidate,
                        author: Some(c.interviewer),
                        question_id: r.question_id.clone(),
                        key_point: None,
                        text: text.to_string(),
                    });
                }
            }
        }
        Summary {
            kind: state.kind,
            status: state.status,
            rows,
            topics,
            candidates,
            notes,
        }
    }

    pub fn total_points(&self) -> f64 {
        (self.rows.iter().map(|r| r.points).sum::<f64>() * 100.0).round() / 100.0
    }

    pub fn average(&self) -> Option<f64> {
        answered_mean(self.kind, self.rows.iter())
    }
}

fn row(r: &QuestionResult) -> SummaryRow {
    let dims = |f: fn(&Scorecard) -> u8| r.scorecards.iter().map(f).collect::<Vec<u8>>();
    let per_dim = [
        dims(|c| c.technical),
        dims(|c| c.communication),
        dims(|c| c.problem_solving),
    ];
    let dimensions = (!r.scorecards.is_empty()).then(|| {
        per_dim
            .clone()
            .map(|v| mean(v.iter().map(|&x| f64::from(x))).unwrap_or(0.0))
    });
    let disagreements = per_dim
        .iter()
        .zip(DIMENSIONS)
        .filter_map(|(v, name)| {
            let (low, high) = (*v.iter().min()?, *v.iter().max()?);
            (high - low >= 2).then_some(Disagreement {
                dimension: name,
                low,
                high,
            })
        })
        .collect();
    SummaryRow {
        position: r.position,
        question_id: r.question_id.clone(),
        topic: r.topic.clone(),
        difficulty: r.difficulty,
        candidate: r.candidate,
        outcome: r.outcome,
        coverage: r.coverage_percent(),
        hints_used: r.hints_used,
        score: r.score,
        points: r.points,
        dimensions,
        disagreements,
    }
}
