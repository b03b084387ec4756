//! Rules for keywords that credit answers which do not know the point: bare
//! numbers, words from the question's own prompt, common words, and words
//! that other questions' model answers use too.

use super::common;
use super::lexicon::{Lexicon, Term};
use super::pattern::Pattern;
use super::tokens::{self, Kind};
use std::collections::HashMap;

/// A keyword found in the model answers of more than this many other
/// questions says too little about its own question; a larger bank allows
/// one in `WIDESPREAD_SHARE` of its other model answers, so the rule stays
/// as strict as the bank grows (10 of the 365 others at 366 questions).
pub const WIDESPREAD_LIMIT: usize = 10;
pub const WIDESPREAD_SHARE: usize = 36;

/// Why a keyword would credit answers that do not know its point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeywordLint {
    BareNumber,
    InPrompt,
    Common,
    Widespread { others: usize, limit: usize },
}

impl KeywordLint {
    /// What to fix, for `bank check`.
    pub fn message(&self, keyword: &str, point: usize) -> String {
        match self {
            KeywordLint::BareNumber => format!(
                "keyword `{keyword}` of key point {point} is only a number: an answer that puts the numbers in the wrong places earns it; pair it with words, e.g. `401 unauthorized`"
            ),
            KeywordLint::InPrompt => format!(
                "keyword `{keyword}` of key point {point} appears in the prompt, so repeating the question earns it: use words only an answer would contain"
            ),
            KeywordLint::Common => format!(
                "keyword `{keyword}` of key point {point} is a common word or stock phrase that many answers contain: use a more specific phrase"
            ),
            KeywordLint::Widespread { others, limit } => format!(
                "keyword `{keyword}` of key point {point} matches the model answers of {others} other questions (at most {limit}): use a phrase specific to this question"
            ),
        }
    }
}

/// True for a keyword made only of numbers ("401", "5 to 256").
pub fn is_bare_number(keyword: &str) -> bool {
    // Most keywords have no digit, and so no number: no need to tokenize.
    if !keyword.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let toks = tokens::tokenize(keyword);
    toks.iter().any(|t| t.kind == Kind::Number)
        && toks
            .iter()
            .all(|t| t.kind == Kind::Number || common::is_common_word(&t.raw))
}

/// The model answers of a whole bank, indexed for counting keyword matches.
pub struct Corpus {
    answers: Vec<Vec<Term>>,
    /// Form → the answers that contain it.
    postings: HashMap<String, Vec<usize>>,
}

impl Corpus {
    pub fn new<'a>(lexicon: &Lexicon, texts: impl IntoIterator<Item = &'a str>) -> Corpus {
        let answers: Vec<Vec<Term>> = texts
            .into_iter()
            .map(|t| super::rubric::terms(lexicon, t))
            .collect();
        let mut postings: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, terms) in answers.iter().enumerate() {
            for t in terms {
                let list = postings.entry(t.form.clone()).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        Corpus { answers, postings }
    }

    /// How many other model answers a keyword may match.
    pub fn widespread_limit(&self) -> usize {
        WIDESPREAD_LIMIT.max(self.answers.len().saturating_sub(1) / WIDESPREAD_SHARE)
    }

    /// How many texts other than `own` contain `pattern`, in any polarity.
    /// Only the texts holding the pattern's rarest form are searched.
    pub fn count_others(&self, pattern: &Pattern, own: usize) -> usize {
        let rarest = pattern
            .forms()
            .map(|f| self.postings.get(f).map(Vec::as_slice).unwrap_or_default())
            .min_by_key(|list| list.len())
            .unwrap_or_default();
        rarest
            .iter()
            .filter(|&&i| i != own && pattern.find_any(&self.answers[i]).is_some())
            .count()
    }
}

/// Every rule `keyword` breaks, given the question's prompt and the bank's
/// model answers (`own` is this question's index in `corpus`).
pub fn check(
    lexicon: &Lexicon,
    keyword: &str,
    prompt: &[Term],
    corpus: &Corpus,
    own: usize,
) -> Vec<KeywordLint> {
    let mut found = Vec::new();
    if is_bare_number(keyword) {
        found.push(KeywordLint::BareNumber);
    }
    if common::is_common_keyword(keyword) {
        found.push(KeywordLint::Common);
    }
    let Some(pattern) = Pattern::compile(lexicon, keyword, &[]) else {
        return found;
    };
    if pattern.find_any(prompt).is_some() {
        found.push(KeywordLint::InPrompt);
    }
    let others = corpus.count_others(&pattern, own);
    let limit = corpus.widespread_limit();
    if others > limit {
        found.push(KeywordLint::Widespread { others, limit });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_numbers_are_flagged_but_numbers_with_words_are_not() {
        assert!(is_bare_number("401"));
        assert!(is_bare_number("5 to 256"));
        assert!(!is_bare_number("401 unauthorized"));
        assert!(!is_bare_number("argon2"));
    }

    #[test]
    fn keywords_from_the_prompt_and_from_many_answers_are_flagged() {
        let lex = Lexicon::default();
        let prompt = super::super::rubric::terms(&lex, "Store the graph as an adjacency list.");
        let texts = ["the event loop runs"; 13];
        let corpus = Corpus::new(&lex, texts);
        assert_eq!(
            check(&lex, "adjacency lists", &prompt, &corpus, 0),
            [KeywordLint::InPrompt]
        );
        assert_eq!(
            check(&lex, "event loop", &prompt, &corpus, 0),
            [KeywordLint::Widespread {
                others: 12,
                limit: 10
            }]
        );
        assert!(check(&lex, "visited set", &prompt, &corpus, 0).is_empty());
    }

    #[test]
    fn a_larger_bank_allows_a_keyword_in_the_same_share_of_its_answers() {
        let lex = Lexicon::default();
        let prompt = super::super::rubric::terms(&lex, "Why is the service slow?");
        let mut texts = vec!["the event loop runs"; 16];
        texts.extend(std::iter::repeat("a visited set").take(600));
        let corpus = Corpus::new(&lex, texts.iter().copied());
        assert_eq!(corpus.widespread_limit(), 17);
        assert!(check(&lex, "event loop", &prompt, &corpus, 0).is_empty());
        let crowded = Corpus::new(
            &lex,
            vec!["the event loop runs"; 20].into_iter().chain(texts),
        );
        assert_eq!(
            check(&lex, "event loop", &prompt, &crowded, 0),
            [KeywordLint::Widespread {
                others: 35,
                limit: 17
            }]
        );
    }
}
