//! A finished session to take away: each question with the answer given,
//! key points covered and missed, the model answer, the score, and the
//! follow-up notes, as Markdown or CSV.

mod csv;
mod markdown;

pub use csv::to_csv;
pub use markdown::to_markdown;

use crate::bank::Bank;
use crate::interview::UserId;
use crate::store::{NoteRow, StoredSession};
use crate::time::Timestamp;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Markdown,
    Csv,
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Ok(Format::Markdown),
            "csv" => Ok(Format::Csv),
            other => Err(format!("unknown format `{other}`: use md or csv")),
        }
    }
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Csv => "csv",
        }
    }

    pub fn render(self, e: &Export) -> String {
        match self {
            Format::Markdown => to_markdown(e),
            Format::Csv => to_csv(e),
        }
    }
}

/// One question of the export.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportQuestion {
    /// 1-based, in the order asked.
    pub number: usize,
    pub question_id: String,
    pub topic: String,
    pub difficulty: String,
    pub prompt: String,
    pub answer: String,
    /// answered, timed_out, skipped, unanswered (empty if never closed).
    pub outcome: String,
    /// Key points covered, with the words of the answer that earned each.
    pub covered: Vec<(String, String)>,
    pub missed: Vec<String>,
    pub model_answer: String,
    pub score: Option<u32>,
    pub points: f64,
    pub hints_used: u32,
    pub self_rating: Option<u8>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    pub session_id: i64,
    pub kind: String,
    pub status: String,
    pub candidate: String,
    pub started: Timestamp,
    pub ended: Option<Timestamp>,
    pub questions: Vec<ExportQuestion>,
    /// Notes about the candidate from this session.
    pub notes: Vec<String>,
}

impl Export {
    /// The candidate's part of a stored session.
    pub fn build(bank: &Bank, s: &StoredSession, candidate: UserId, notes: &[NoteRow]) -> Export {
        let state = &s.state;
        let name = state
            .participants
            .iter()
            .find(|p| p.user == candidate)
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let questions = state
            .results
            .iter()
            .filter(|r| r.candidate == candidate)
            .enumerate()
            .map(|(i, r)| {
                let q = bank.question(&r.question_id);
                let points: Vec<String> = q
                    .map(|q| q.key_points.iter().map(|k| k.point.clone()).collect())
                    .unwrap_or_default();
                let mut covered = Vec::new();
                let mut missed = Vec::new();
                for (k, point) in points.into_iter().enumerate() {
                    if r.covered.get(k).copied().unwrap_or(false) {
                        covered.push((point, r.heard.get(k).cloned().unwrap_or_default()));
                    } else {
                        missed.push(point);
                    }
                }
                ExportQuestion {
                    number: i + 1,
                    question_id: r.question_id.clone(),
                    topic: bank.topic_title(&r.topic).to_string(),
                    difficulty: r.difficulty.as_str().to_string(),
                    prompt: q.map(|q| q.prompt.trim().to_string()).unwrap_or_default(),
                    answer: r.answer.trim().to_string(),
                    outcome: r
                        .outcome
                        .map(|o| o.as_str().to_string())
                        .unwrap_or_default(),
                    covered,
                    missed,
                    model_answer: q
                        .map(|q| q.model_answer.trim().to_string())
                        .unwrap_or_default(),
                    score: r.score.filter(|_| r.finalised),
                    points: if r.finalised { r.points } else { 0.0 },
                    hints_used: r.hints_used,
                    self_rating: r.self_rating,
                }
            })
            .collect();
        Export {
            session_id: s.id,
            kind: state.kind.as_str().to_string(),
            status: state.status.as_str().to_string(),
            candidate: name,
            started: state.started_at,
            ended: state.ended_at,
            questions,
            notes: notes.iter().map(|n| n.text.clone()).collect(),
        }
    }

    pub fn total_points(&self) -> f64 {
        (self.questions.iter().map(|q| q.points).sum::<f64>() * 100.0).round() / 100.0
    }

    /// The file name a front end offers: `interview-12.md`.
    pub fn file_name(&self, format: Format) -> String {
        format!("interview-{}.{}", self.session_id, format.extension())
    }
}

/// "2024-03-04 09:30 UTC".
pub fn date_time(t: Timestamp) -> String {
    chrono::DateTime::from_timestamp_millis(t.millis())
        .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}
