//! The YAML question bank: its format, loading with validation, selection
//! and statistics; and a server's own pack, checked by the same rules.

mod assemble;
mod check;
mod keyword_lint;
mod limits;
mod lines;
mod load;
mod model;
pub mod pack;
mod problem;
mod question_file;
mod report;
mod select;
mod stats;
mod synonyms;
mod topic_list;
pub mod yaml;

pub use limits::{PACK_MAX_BYTES, PACK_MAX_QUESTIONS, PACK_MAX_TOPICS};
pub use load::{load, TOPICS_FILE};
pub use model::{Bank, Difficulty, DifficultyChoice, KeyPoint, Question, Topic};
pub use pack::Pack;
pub use problem::{BankErrors, Problem};
pub use select::{SelectError, Selection};
pub use stats::{BankStats, Row};
pub use synonyms::SYNONYMS_FILE;
