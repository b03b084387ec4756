//! Which tokens stand in a negated or contradicted clause.
//!
//! A keyword found in "the GIL is not the bottleneck" must not credit a point
//! saying the GIL is the bottleneck, and "use X instead of Y" says nothing in
//! favour of Y. A cue negates what follows it up to the end of its clause
//! (punctuation, a contrasting or joining word, or a few words on); two cues
//! in one clause cancel out.

use super::tokens::Token;

/// Words after which the next words are negated.
const CUES: [&str; 6] = ["not", "never", "no", "without", "nor", "neither"];
/// Two-word cues: "instead of X", "rather than X".
const PAIR_CUES: [(&str, &str); 2] = [("instead", "of"), ("rather", "than")];
/// "not only", "not just": emphasis, not negation.
const NOT_NEGATING_AFTER: [&str; 6] = ["only", "just", "merely", "simply", "matter", "necessarily"];
/// Words that start a new clause, so a negation before them ends.
const BOUNDARIES: [&str; 12] = [
    "but", "however", "although", "though", "whereas", "while", "so", "because", "which", "and",
    "then", "unless",
];
/// How far a cue reaches when no boundary comes first: a verb's negation
/// ("does not block the loop") reaches further than a noun's ("with no
/// .dockerignore copied the file" denies only the .dockerignore).
const REACH: usize = 6;
const NOUN_REACH: usize = 2;
const CONTRAST_REACH: usize = 3;
/// Cues that usually govern the noun phrase after them.
const NOUN_CUES: [&str; 2] = ["no", "without"];

/// For each token, whether an odd number of negations reach it. A cue's own
/// flag is that of the clause around it, not counting itself.
pub fn negated(tokens: &[Token]) -> Vec<bool> {
    let mut flags = Vec::with_capacity(tokens.len());
    // Each open negation: how many more tokens it reaches.
    let mut open: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if BOUNDARIES.contains(&t.raw.as_str()) {
            open.clear();
        }
        flags.push(open.len() % 2 == 1);
        let cue_len = cue_at(tokens, i);
        if cue_len == 2 {
            flags.push(open.len() % 2 == 1);
        }
        for left in open.iter_mut() {
            *left = left.saturating_sub(cue_len.max(1));
        }
        open.retain(|&left| left > 0);
        if cue_len > 0 {
            let word = t.raw.as_str();
            let verbal = word == "no" && tokens.get(i + 1).is_some_and(|n| n.raw == "longer");
            open.push(if cue_len == 2 {
                CONTRAST_REACH
            } else if NOUN_CUES.contains(&word) && !verbal {
                NOUN_REACH
            } else {
                REACH
            });
        }
        let last = &tokens[i + cue_len.max(1) - 1];
        if last.clause_end {
            open.clear();
        }
        i += cue_len.max(1);
    }
    flags
}

/// The length of the negation cue starting at `i` (0 when there is none).
fn cue_at(tokens: &[Token], i: usize) -> usize {
    let word = tokens[i].raw.as_str();
    let next = tokens.get(i + 1).filter(|_| !tokens[i].clause_end);
    if PAIR_CUES
        .iter()
        .any(|&(a, b)| a == word && next.is_some_and(|n| n.raw == b))
    {
        return 2;
    }
    if !CUES.contains(&word) {
        return 0;
    }
    if next.is_some_and(|n| NOT_NEGATING_AFTER.contains(&n.raw.as_str())) {
        return 0;
    }
    // "whether or not", "or not": a choice, not a denial.
    if word == "not" && i > 0 && tokens[i - 1].raw == "or" {
        return 0;
    }
    1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::tokens::tokenize;

    fn flags(text: &str) -> Vec<(String, bool)> {
        let t = tokenize(text);
        negated(&t)
            .into_iter()
            .zip(t)
            .map(|(f, t)| (t.raw, f))
            .collect()
    }

    fn is_negated(text: &str, word: &str) -> bool {
        flags(text)
            .into_iter()
            .find(|(w, _)| w == word)
            .map(|(_, f)| f)
            .unwrap_or_else(|| panic!("{word} not in {text}"))
    }

    #[test]
    fn a_cue_negates_the_rest_of_its_clause() {
        assert!(is_negated("the GIL is not the bottleneck", "bottleneck"));
        assert!(is_negated("the GIL isn't the bottleneck", "bottleneck"));
        assert!(!is_negated("the GIL is the bottleneck", "bottleneck"));
        assert!(!is_negated(
            "it is not fast, the bottleneck is IO",
            "bottleneck"
        ));
    }

    #[test]
    fn contrast_ends_the_negation() {
        assert!(!is_negated("not the GIL but the database", "database"));
        assert!(is_negated("use a list instead of shell=True", "shell=true"));
        assert!(!is_negated("use a list instead of shell=True", "list"));
    }

    #[test]
    fn emphasis_and_choices_are_not_negation() {
        assert!(!is_negated("not only the bottleneck", "bottleneck"));
        assert!(!is_negated("whether or not it blocks", "blocks"));
    }

    #[test]
    fn a_noun_negation_reaches_only_its_noun_phrase() {
        assert!(is_negated(
            "with no dockerignore copied the env file",
            "dockerignore"
        ));
        assert!(!is_negated(
            "with no dockerignore copied the env file",
            "env"
        ));
        assert!(is_negated("it no longer blocks the event loop", "loop"));
    }

    #[test]
    fn two_cues_cancel_and_reach_is_limited() {
        assert!(!is_negated("it is not true that it never blocks", "blocks"));
        assert!(!is_negated(
            "not one two three four five six seven blocks",
            "blocks"
        ));
    }
}
