//! Choosing the questions of a session.

use super::model::{Bank, DifficultyChoice, Question};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Topic slugs; empty means any topic.
    pub topics: Vec<String>,
    pub difficulty: DifficultyChoice,
    pub count: usize,
    pub seed: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    #[error("unknown topic `{topic}`: choose one of {known}")]
    UnknownTopic { topic: String, known: String },
    #[error("no {difficulty} questions in {topics}: try another difficulty or topic")]
    NoQuestions {
        topics: String,
        difficulty: DifficultyChoice,
    },
    #[error("only {available} {difficulty} question(s) in {topics}, fewer than the {candidates} candidates: try mixed difficulty, or fewer candidates")]
    TooFewForCandidates {
        topics: String,
        difficulty: DifficultyChoice,
        available: usize,
        candidates: usize,
    },
}

impl Bank {
    /// Checks that every named topic exists, with a message listing the valid ones.
    pub fn check_topics(&self, topics: &[String]) -> Result<(), SelectError> {
        for t in topics {
            if !self.topics.contains_key(t) {
                return Err(SelectError::UnknownTopic {
                    topic: t.clone(),
                    known: self.topics.keys().cloned().collect::<Vec<_>>().join(", "),
                });
            }
        }
        Ok(())
    }

    /// Up to `count` distinct questions matching the selection, questions in
    /// `seen` only after every unseen one; the same seed gives the same order.
    /// For a mixed session the chosen questions go from easy to hard.
    pub fn select(
        &self,
        sel: &Selection,
        seen: &HashSet<String>,
    ) -> Result<Vec<&Question>, SelectError> {
        self.check_topics(&sel.topics)?;
        let mut pool: Vec<&Question> = self
            .questions
            .iter()
            .filter(|q| sel.topics.is_empty() || sel.topics.contains(&q.topic))
            .filter(|q| sel.difficulty.admits(q.difficulty))
            .collect();
        if pool.is_empty() || sel.count == 0 {
            return Err(SelectError::NoQuestions {
                topics: if sel.topics.is_empty() {
                    "the bank".into()
                } else {
                    sel.topics.join(", ")
                },
                difficulty: sel.difficulty,
            });
        }
        // Sorting first makes the result independent of file order.
        pool.sort_by(|a, b| a.id.cmp(&b.id));
        let mut rng = StdRng::seed_from_u64(sel.seed);
        pool.shuffle(&mut rng);
        pool.sort_by_key(|q| seen.contains(&q.id)); // stable: unseen first, shuffled within
        pool.truncate(sel.count);
        if sel.difficulty == DifficultyChoice::Mixed {
            pool.sort_by_key(|q| q.difficulty);
        }
        Ok(pool)
    }
}
