//! Counts of the bank by topic and subtopic, per difficulty.

use super::model::{Bank, Difficulty};
use serde::Serialize;
use std::collections::HashMap;
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
    /// One pass over the questions (`/topics` asks for this on every
    /// command): each question adds to its topic's row and to the row of
    /// each of its subtopics.
    pub fn stats(&self) -> BankStats {
        let row = |topic: &str, subtopic: &str| Row {
            topic: topic.to_owned(),
            subtopic: subtopic.to_owned(),
            easy: 0,
            medium: 0,
            hard: 0,
        };
        let mut topics = Vec::with_capacity(self.topics.len());
        let mut subtopics = Vec::new();
        // Topic slug to the topic, its row and its subtopics' first row.
        let mut at = HashMap::new();
        for t in self.topics.values() {
            at.insert(t.slug.as_str(), (t, topics.len(), subtopics.len()));
            topics.push(row(&t.slug, ""));
            subtopics.extend(t.subtopics.iter().map(|(sub, _)| row(&t.slug, sub)));
        }
        for q in &self.questions {
            let Some(&(topic, t, first)) = at.get(q.topic.as_str()) else {
                continue;
            };
            topics[t].add(q.difficulty);
            for (i, (sub, _)) in topic.subtopics.iter().enumerate() {
                if q.tags.contains(sub) {
                    subtopics[first + i].add(q.difficulty);
                }
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
