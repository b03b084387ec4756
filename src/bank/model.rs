//! The question bank's domain types, as the rest of the program sees them.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

impl Difficulty {
    pub const ALL: [Difficulty; 3] = [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard];

    /// Points multiplier: harder questions are worth more.
    pub fn weight(self) -> u32 {
        match self {
            Difficulty::Easy => 1,
            Difficulty::Medium => 2,
            Difficulty::Hard => 3,
        }
    }

    /// Answer time when neither the question nor the session sets one.
    pub fn default_minutes(self) -> u32 {
        match self {
            Difficulty::Easy => 3,
            Difficulty::Medium => 5,
            Difficulty::Hard => 8,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }
}

impl fmt::Display for Difficulty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Difficulty {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "easy" => Ok(Difficulty::Easy),
            "medium" => Ok(Difficulty::Medium),
            "hard" => Ok(Difficulty::Hard),
            other => Err(format!(
                "unknown difficulty `{other}`: use easy, medium or hard"
            )),
        }
    }
}

/// What the person asked for: one difficulty, or a mix of all three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DifficultyChoice {
    Easy,
    Medium,
    Hard,
    #[default]
    Mixed,
}

impl DifficultyChoice {
    pub fn admits(self, d: Difficulty) -> bool {
        match self {
            DifficultyChoice::Mixed => true,
            DifficultyChoice::Easy => d == Difficulty::Easy,
            DifficultyChoice::Medium => d == Difficulty::Medium,
            DifficultyChoice::Hard => d == Difficulty::Hard,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DifficultyChoice::Easy => "easy",
            DifficultyChoice::Medium => "medium",
            DifficultyChoice::Hard => "hard",
            DifficultyChoice::Mixed => "mixed",
        }
    }
}

impl FromStr for DifficultyChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "mixed" | "any" => Ok(DifficultyChoice::Mixed),
            other => other
                .parse::<Difficulty>()
                .map(|d| match d {
                    Difficulty::Easy => DifficultyChoice::Easy,
                    Difficulty::Medium => DifficultyChoice::Medium,
                    Difficulty::Hard => DifficultyChoice::Hard,
                })
                .map_err(|_| {
                    format!("unknown difficulty `{other}`: use easy, medium, hard or mixed")
                }),
        }
    }
}

impl fmt::Display for DifficultyChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct Topic {
    pub slug: String,
    pub title: String,
    pub description: String,
    /// Subtopic slug to description, in file order.
    pub subtopics: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyPoint {
    pub point: String,
    pub keywords: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Question {
    pub id: String,
    pub topic: String,
    pub difficulty: Difficulty,
    pub tags: Vec<String>,
    pub prompt: String,
    pub key_points: Vec<KeyPoint>,
    pub model_answer: String,
    pub hints: Vec<String>,
    pub follow_ups: Vec<String>,
    pub time_limit_minutes: Option<u32>,
    /// The key points compiled for grading, with the bank's synonyms.
    pub rubric: crate::grading::Rubric,
}

/// A validated bank. Only `load` builds one, so holding a `Bank` means the
/// files were free of errors.
#[derive(Debug, Clone, Default)]
pub struct Bank {
    pub topics: BTreeMap<String, Topic>,
    pub questions: Vec<Question>,
    pub(crate) by_id: HashMap<String, usize>,
    /// The synonyms and words the rubrics were compiled with; a server's
    /// pack is compiled with them too, plus its own words.
    pub(crate) lexicon: std::sync::Arc<crate::grading::Lexicon>,
}

impl Bank {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.by_id.get(id).map(|&i| &self.questions[i])
    }

    pub fn topic_title<'a>(&'a self, slug: &'a str) -> &'a str {
        self.topics
            .get(slug)
            .map(|t| t.title.as_str())
            .unwrap_or(slug)
    }

    pub fn count(&self, topic: &str, difficulty: Difficulty) -> usize {
        self.questions
            .iter()
            .filter(|q| q.topic == topic && q.difficulty == difficulty)
            .count()
    }

    /// A bank built in memory (tests and tools); questions are not linted.
    pub fn from_parts(topics: BTreeMap<String, Topic>, questions: Vec<Question>) -> Bank {
        let by_id = questions
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.clone(), i))
            .collect();
        Bank {
            topics,
            questions,
            by_id,
            lexicon: Default::default(),
        }
    }

    pub(crate) fn with_lexicon(mut self, lexicon: std::sync::Arc<crate::grading::Lexicon>) -> Bank {
        self.lexicon = lexicon;
        self
    }
}
