//! Counts of the bank by topic and subtopic, per difficulty.

use super::model::{Bank, Difficulty};
use serde::Serialize;
use std::fmt::Write;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Row {
    pub topic: String,
    /// Empty for a topic row.
    pub subtopic: String,
    pub easy: usize,
    pub medium: usize,
    pub hard: usize,
}

impl Row {
    pub fn total(&self) -> usize {
        self.easy + self.medium + self.hard
    }

    fn add(&mut self, d: Difficulty) {
        match d {
            Difficulty::Easy => self.easy += 1,
            Difficulty::Medium => self.medium += 1,
            Difficulty::Hard => self.hard += 1,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BankStats {
    pub total: usize,
    pub topics: Vec<Row>,
    pub subtopics: Vec<Row>,
}

impl Bank {
    pub fn stats(&self) -> BankStats {
        let mut topics = Vec::new();
        let mut subtopics = Vec::new();
        for t in self.topics.values() {
            let mut row = Row {
                topic: t.slug.clone(),
                subtopic: String::new(),
                easy: 0,
                medium: 0,
                hard: 0,
            };
            for q in self.questions.iter().filter(|q| q.topic == t.slug) {
                row.add(q.difficulty);
            }
            topics.push(row);
            for (sub, _) in &t.subtopics {
                let mut row = Row {
                    topic: t.slug.clone(),
                    subtopic: sub.clone(),
                    easy: 0,
                    medium: 0,
                    hard: 0,
                };
                for q in self
                    .questions
                    .iter()
                    .filter(|q| q.topic == t.slug && q.tags.contains(sub))
                {
                    row.add(q.difficulty);
                }
                subtopics.push(row);
            }
        }
        BankStats {
            total: self.questions.len(),
            topics,
            subtopics,
        }
    }
}

impl BankStats {
    /// Plain-text tables, one for topics and one for subtopics; empty cells
    /// show as `-` so gaps stand out.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let cell = |n: usize| {
            if n == 0 {
                "-".to_string()
            } else {
                n.to_string()
            }
        };
        let table =
            |out: &mut String, title: &str, rows: &[Row], label: &dyn Fn(&Row) -> String| {
                let w = rows
                    .iter()
                    .map(|r| label(r).len())
                    .max()
                    .unwrap_or(5)
                    .max(title.len());
                let _ = writeln!(
                    out,
                    "{title:<w$}  {:>6} {:>6} {:>6} {:>6}",
                    "easy", "medium", "hard", "total"
                );
                for r in rows {
                    let _ = writeln!(
                        out,
                        "{:<w$}  {:>6} {:>6} {:>6} {:>6}",
                        label(r),
                        cell(r.easy),
                        cell(r.medium),
                        cell(r.hard),
                        r.total()
                    );
                }
            };
        table(&mut out, "topic", &self.topics, &|r| r.topic.clone());
        let _ = writeln!(out, "{} questions in all\n", self.total);
        table(&mut out, "topic/subtopic", &self.subtopics, &|r| {
            format!("{}/{}", r.topic, r.subtopic)
        });
        let empty = self
            .subtopics
            .iter()
            .map(|r| {
                [r.easy, r.medium, r.hard]
                    .iter()
                    .filter(|&&n| n == 0)
                    .count()
            })
            .sum::<usize>();
        let _ = writeln!(out, "{empty} empty subtopic x difficulty cells");
        out
    }
}
