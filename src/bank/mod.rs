//! The YAML question bank: its format, loading with validation, selection
//! and statistics.

mod check;
mod keyword_lint;
mod limits;
mod lines;
mod load;
mod model;
mod problem;
mod question_file;
mod report;
mod select;
mod stats;
mod synonyms;
pub mod yaml;

pub use load::{load, TOPICS_FILE};
pub use model::{Bank, Difficulty, DifficultyChoice, KeyPoint, Question, Topic};
pub use problem::{BankErrors, Problem};
pub use select::{SelectError, Selection};
pub use stats::{BankStats, Row};
pub use synonyms::SYNONYMS_FILE;
