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

/// The distinct stemmed content words and code names of `text` (no common
/// English, no numbers, nothing under 3 letters): enough to tell whether two
/// texts share any vocabulary at all.
pub fn content_stems(text: &str) -> std::collections::HashSet<String> {
    tokens::tokenize(text)
        .into_iter()
        .filter(|t| {
            t.kind != tokens::Kind::Number
                && t.raw.chars().count() >= 3
                && !common::is_common_word(&t.raw)
        })
        .map(|t| t.form)
        .collect()
}

/// A keyword that normalises to no words can never match; the bank rejects it.
pub fn is_matchable(keyword: &str) -> bool {
    !tokens::tokenize(keyword).is_empty()
}
