//! A question's key points, compiled once, and the verdict on an answer.

use super::lexicon::{Lexicon, Term};
use super::pattern::Pattern;
use super::tokens::{self, Kind, Token};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Words shorter than this are never corrected: a one-letter change to a
/// short word is usually another word.
const TYPO_MIN_LEN: usize = 6;

/// One key point's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Credit {
    pub covered: bool,
    /// The words of the answer that earned the point, as written.
    pub heard: Option<String>,
}

/// Which key points an answer covers, and the words that showed it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Verdict {
    pub points: Vec<Credit>,
}

impl Verdict {
    pub fn covered(&self) -> Vec<bool> {
        self.points.iter().map(|c| c.covered).collect()
    }

    pub fn heard(&self) -> Vec<String> {
        self.points
            .iter()
            .map(|c| c.heard.clone().unwrap_or_default())
            .collect()
    }
}

#[derive(Debug)]
struct Compiled {
    lexicon: Arc<Lexicon>,
    points: Vec<Vec<Pattern>>,
    /// Keyword words long enough for typo tolerance: (as written, stem).
    typo_targets: Vec<(String, String)>,
}

/// A question's key points, ready to grade answers. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Rubric(Arc<Compiled>);

impl Rubric {
    /// Compiles each key point (its text, to learn each keyword's polarity,
    /// and its keywords). Keywords with no letters or digits are left out;
    /// the bank refuses them.
    pub fn new<'a, I>(lexicon: Arc<Lexicon>, points: I) -> Rubric
    where
        I: IntoIterator<Item = (&'a str, &'a [String])>,
    {
        let mut typo_targets = Vec::new();
        let points = points
            .into_iter()
            .map(|(text, keywords)| {
                let point_terms = lexicon.terms(&tokens::tokenize(text));
                keywords
                    .iter()
                    .filter_map(|k| {
                        for t in tokens::tokenize(k) {
                            if t.kind == Kind::Word && t.raw.chars().count() >= TYPO_MIN_LEN {
                                typo_targets.push((t.raw, t.form));
                            }
                        }
                        Pattern::compile(&lexicon, k, &point_terms)
                    })
                    .collect()
            })
            .collect();
        typo_targets.sort();
        typo_targets.dedup();
        Rubric(Arc::new(Compiled {
            lexicon,
            points,
            typo_targets,
        }))
    }

    /// Grades `answer`: for each key point, whether it is covered and by
    /// which words.
    pub fn grade(&self, answer: &str) -> Verdict {
        let c = &self.0;
        let mut toks = tokens::tokenize(answer);
        self.correct_typos(&mut toks);
        let terms = c.lexicon.terms(&toks);
        let points = c
            .points
            .iter()
            .map(|patterns| credit(answer, &terms, patterns))
            .collect();
        Verdict { points }
    }

    /// Reads an unknown long word one edit away from a keyword word as that
    /// word ("asyncronous" for "asynchronous"). Numbers, code and words the
    /// bank knows are left alone.
    fn correct_typos(&self, toks: &mut [Token]) {
        let c = &self.0;
        if c.typo_targets.is_empty() {
            return;
        }
        for t in toks.iter_mut() {
            let len = t.raw.chars().count();
            if t.kind != Kind::Word || len < TYPO_MIN_LEN || c.lexicon.knows(&t.raw) {
                continue;
            }
            let hit = c
                .typo_targets
                .iter()
                .find(|(raw, _)| one_edit_apart(&t.raw, raw));
            if let Some((_, form)) = hit {
                t.form = form.clone();
            }
        }
    }
}

impl Default for Rubric {
    /// No key points; the bank replaces it once the synonyms are known.
    fn default() -> Self {
        Rubric::new(Arc::new(Lexicon::default()), [])
    }
}

/// The credit one key point earns: the earliest keyword found in the
/// polarity its key point gives it.
fn credit(answer: &str, terms: &[Term], patterns: &[Pattern]) -> Credit {
    let found = patterns
        .iter()
        .filter_map(|p| p.find(terms))
        .min_by_key(|f| (f.first, f.last));
    match found {
        Some(f) => Credit {
            covered: true,
            heard: Some(quote(answer, &terms[f.first], &terms[f.last])),
        },
        None => Credit::default(),
    }
}

/// Terms of `text`, as the rubric reads an answer (without typo correction).
pub fn terms(lexicon: &Lexicon, text: &str) -> Vec<Term> {
    lexicon.terms(&tokens::tokenize(text))
}

/// Quoted words longer than this are cut: a gap keyword spans a few words.
const QUOTE_MAX: usize = 80;

fn quote(answer: &str, first: &Term, last: &Term) -> String {
    let words = answer
        .get(first.start..last.end)
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    match words.char_indices().nth(QUOTE_MAX) {
        Some((cut, _)) => format!("{}…", &words[..cut]),
        None => words,
    }
}

/// One substitution, insertion, deletion or swap of neighbours apart, with
/// the same first letter (typos rarely hit the first letter, real words that
/// differ by one letter often do).
fn one_edit_apart(a: &str, b: &str) -> bool {
    if a == b || a.chars().next() != b.chars().next() {
        return false;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    la.abs_diff(lb) <= 1 && strsim::osa_distance(a, b) == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rubric(lexicon: Lexicon, points: &[(&str, &[&str])]) -> Rubric {
        let owned: Vec<(String, Vec<String>)> = points
            .iter()
            .map(|(p, k)| (p.to_string(), k.iter().map(|s| s.to_string()).collect()))
            .collect();
        Rubric::new(
            Arc::new(lexicon),
            owned.iter().map(|(p, k)| (p.as_str(), k.as_slice())),
        )
    }

    fn covered(r: &Rubric, answer: &str) -> Vec<bool> {
        r.grade(answer).covered()
    }

    #[test]
    fn word_forms_match_across_inflections() {
        let r = rubric(
            Lexicon::default(),
            &[
                ("Exceptions are swallowed.", &["swallowed"]),
                ("It blocks.", &["blocks the thread"]),
            ],
        );
        assert_eq!(
            covered(&r, "a bare except swallows it; sleep blocking the thread"),
            [true, true]
        );
        assert_eq!(covered(&r, "the error is logged"), [false, false]);
    }

    #[test]
    fn code_tokens_match_as_written_and_never_as_english() {
        let r = rubric(
            Lexicon::default(),
            &[
                ("Implement __call__.", &["__call__"]),
                ("Never shell=True.", &["shell=True"]),
            ],
        );
        assert_eq!(
            covered(&r, "define `__call__` and never set shell=True"),
            [true, true]
        );
        assert_eq!(
            covered(&r, "just call require_admin; the shell is true"),
            [false, false]
        );
        assert_eq!(covered(&r, "give the class a dunder call"), [true, false]);
    }

    #[test]
    fn negated_mentions_do_not_credit_a_positive_point_and_the_reverse() {
        let r = rubric(
            Lexicon::default(),
            &[
                ("The GIL is not the bottleneck.", &["bottleneck"]),
                ("Use a lock.", &["lock"]),
            ],
        );
        assert_eq!(
            covered(&r, "the GIL is the bottleneck, you don't need a lock"),
            [false, false]
        );
        assert_eq!(
            covered(&r, "the GIL is not the bottleneck; use a lock"),
            [true, true]
        );
    }

    #[test]
    fn long_words_tolerate_one_typo_short_words_and_numbers_none() {
        let r = rubric(
            Lexicon::default(),
            &[
                ("Asynchronous IO.", &["asynchronous"]),
                ("Use 401.", &["401 unauthorized"]),
                ("Lock.", &["lock"]),
            ],
        );
        assert_eq!(
            covered(&r, "it is asyncronous; 402 unauthorized; a lcok"),
            [true, false, false]
        );
    }

    #[test]
    fn a_typo_never_turns_a_known_word_into_a_keyword() {
        let mut lex = Lexicon::default();
        lex.learn("reading");
        let r = rubric(lex, &[("Heading.", &["heading"])]);
        assert_eq!(covered(&r, "reading the file"), [false]);
        assert_eq!(covered(&r, "the headng"), [true]);
    }

    #[test]
    fn synonyms_apply_to_both_sides() {
        let lex =
            Lexicon::new(&[vec!["definition time".into(), "when the def runs".into()]]).unwrap();
        let r = rubric(
            lex,
            &[("Evaluated at definition time.", &["definition time"])],
        );
        assert_eq!(
            covered(&r, "the default is built when the def runs"),
            [true]
        );
        assert_eq!(
            covered(&r, "the default is built when the function runs"),
            [false]
        );
    }

    #[test]
    fn credit_says_which_words_were_heard() {
        let r = rubric(Lexicon::default(), &[("Event loop.", &["event loop"])]);
        let v = r.grade("It blocks the Event\n  Loop entirely.");
        assert_eq!(v.points[0].heard.as_deref(), Some("Event Loop"));
    }
}
