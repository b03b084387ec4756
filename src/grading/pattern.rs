//! One keyword, compiled: the terms it must find, in order, and the polarity
//! it must be found in.
//!
//! Words follow each other directly, except across `...` in the keyword
//! ("await ... the task"), where up to `GAP` other words may stand between.

use super::lexicon::{Lexicon, Term};
use super::tokens;

/// How many words `...` in a keyword may stand for.
pub const GAP: usize = 4;
const GAP_MARK: &str = "...";

#[derive(Debug, Clone)]
struct Element {
    form: String,
    /// Words allowed between the previous element and this one.
    gap: usize,
}

#[derive(Debug, Clone)]
pub struct Pattern {
    elements: Vec<Element>,
    /// The polarity the keyword has in its own key point: "bottleneck" in
    /// "the GIL is not the bottleneck" must be found negated to count.
    expect_negated: bool,
}

/// Where a pattern was found: the first and last term it matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub first: usize,
    pub last: usize,
}

impl Pattern {
    /// Compiles `keyword`; None when it has no letters or digits.
    pub fn compile(lexicon: &Lexicon, keyword: &str, point: &[Term]) -> Option<Pattern> {
        let mut elements = Vec::new();
        for (n, part) in keyword.split(GAP_MARK).enumerate() {
            let terms = lexicon.terms(&tokens::tokenize(part));
            for (i, t) in terms.into_iter().enumerate() {
                let gap = if n > 0 && i == 0 && !elements.is_empty() {
                    GAP
                } else {
                    0
                };
                elements.push(Element { form: t.form, gap });
            }
        }
        if elements.is_empty() {
            return None;
        }
        let mut pattern = Pattern {
            elements,
            expect_negated: false,
        };
        pattern.expect_negated = pattern
            .find_any(point)
            .is_some_and(|f| point[f.first].negated);
        Some(pattern)
    }

    /// The first place the pattern stands in `terms` with the polarity its
    /// key point gives it.
    pub fn find(&self, terms: &[Term]) -> Option<Found> {
        self.search(terms, Some(self.expect_negated))
    }

    /// The first place the pattern stands in `terms`, whatever the polarity.
    pub fn find_any(&self, terms: &[Term]) -> Option<Found> {
        self.search(terms, None)
    }

    /// The forms the pattern needs, each of which a matching text contains.
    pub fn forms(&self) -> impl Iterator<Item = &str> {
        self.elements.iter().map(|e| e.form.as_str())
    }

    fn search(&self, terms: &[Term], polarity: Option<bool>) -> Option<Found> {
        let head = &self.elements[0];
        (0..terms.len())
            .filter(|&i| terms[i].form == head.form)
            .filter(|&i| match polarity {
                Some(p) => terms[i].negated == p,
                None => true,
            })
            .find_map(|i| {
                self.rest_from(terms, 1, i)
                    .map(|last| Found { first: i, last })
            })
    }

    /// Matches elements `e..` after the term at `prev`; the last term matched.
    fn rest_from(&self, terms: &[Term], e: usize, prev: usize) -> Option<usize> {
        let Some(el) = self.elements.get(e) else {
            return Some(prev);
        };
        let lo = prev + 1;
        let hi = (lo + el.gap + 1).min(terms.len());
        (lo..hi)
            .filter(|&j| terms[j].form == el.form)
            .find_map(|j| self.rest_from(terms, e + 1, j))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<Term> {
        Lexicon::default().terms(&tokens::tokenize(text))
    }

    fn pattern(keyword: &str, point: &str) -> Pattern {
        Pattern::compile(&Lexicon::default(), keyword, &terms(point)).unwrap()
    }

    #[test]
    fn words_must_follow_each_other_unless_the_keyword_allows_a_gap() {
        let strict = pattern("await the task", "");
        let loose = pattern("await ... the task", "");
        let answer = terms("you await the background task");
        assert!(strict.find(&answer).is_none());
        assert!(loose.find(&answer).is_some());
        assert!(loose
            .find(&terms("await one two three four five task"))
            .is_none());
    }

    #[test]
    fn a_keyword_negated_in_its_point_must_be_negated_in_the_answer() {
        let p = pattern("bottleneck", "The GIL is not the bottleneck here.");
        assert!(p.find(&terms("the GIL isn't the bottleneck")).is_some());
        assert!(p.find(&terms("the GIL is the bottleneck")).is_none());
        let q = pattern("bottleneck", "The GIL is the bottleneck.");
        assert!(q.find(&terms("the GIL is not the bottleneck")).is_none());
    }

    #[test]
    fn a_keyword_that_carries_its_own_negation_matches_it_plainly() {
        let p = pattern("without shell=True", "Never use shell=True.");
        assert!(p.find(&terms("run it without shell=True")).is_some());
    }

    #[test]
    fn the_found_range_covers_the_matched_terms() {
        let p = pattern("event loop", "");
        let t = terms("it blocks the event loop");
        assert_eq!(p.find(&t), Some(Found { first: 2, last: 3 }));
    }
}
