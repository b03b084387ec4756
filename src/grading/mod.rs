//! Grading an answer against a question's key points: pure and deterministic,
//! and every credit says which words of the answer earned it.
//!
//! `tokens` turns text into stemmed words and intact code, `negation` marks
//! what a clause denies, `lexicon` holds the bank's synonyms and vocabulary,
//! `pattern` is one compiled keyword, `rubric` a question's key points, and
//! `lint` the rules for keywords that would credit the wrong answers.

mod common;
mod lexicon;
pub mod lint;
mod negation;
mod pattern;
mod rubric;
mod tokens;

pub use lexicon::{GroupProblem, Lexicon};
pub use rubric::{terms, Credit, Rubric, Verdict};

/// A keyword that normalises to no words can never match; the bank rejects it.
pub fn is_matchable(keyword: &str) -> bool {
    !tokens::tokenize(keyword).is_empty()
}
