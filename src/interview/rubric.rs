//! Key-point matching: does an answer mention a key point?
//!
//! Matching is on normalised word sequences so that case, punctuation and simple
//! plurals do not matter: `__init__` matches "init", "f-strings" matches
//! "f string", "classes" matches "class". A multi-word keyword must appear as
//! consecutive words, so "event loop" does not match "loop over events".

/// Lowercase words with non-alphanumerics as separators and plurals folded.
pub fn normalise(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric() && !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(stem)
        .collect()
}

/// Folds the plural forms a written answer commonly uses onto the singular.
/// Deliberately simple and symmetric: both keyword and answer go through it.
fn stem(word: &str) -> String {
    let w = word;
    let n = w.chars().count();
    if n > 4 && w.ends_with("ies") {
        return format!("{}y", &w[..w.len() - 3]);
    }
    if n > 4
        && ["sses", "xes", "ches", "shes", "zes"]
            .iter()
            .any(|s| w.ends_with(s))
    {
        return w[..w.len() - 2].to_string();
    }
    if n > 3 && w.ends_with('s') && !["ss", "us", "is"].iter().any(|s| w.ends_with(s)) {
        return w[..w.len() - 1].to_string();
    }
    w.to_string()
}

/// True if `needle` occurs as consecutive words in `haystack`.
pub fn contains_phrase(haystack: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// A keyword that normalises to no words can never match; the bank rejects it.
pub fn is_matchable(keyword: &str) -> bool {
    !normalise(keyword).is_empty()
}

/// Which of the key points (given as their keyword lists) the answer covers.
pub fn covered_points<'a, I>(answer: &str, key_points: I) -> Vec<bool>
where
    I: IntoIterator<Item = &'a [String]>,
{
    let words = normalise(answer);
    key_points
        .into_iter()
        .map(|keywords| {
            keywords
                .iter()
                .any(|k| contains_phrase(&words, &normalise(k)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kws(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn matching_ignores_case_punctuation_and_plurals() {
        let points = [kws(&["__init__"]), kws(&["f-string"]), kws(&["Classes"])];
        let covered = covered_points(
            "You define INIT; use f strings; each class has one.",
            points.iter().map(|k| k.as_slice()),
        );
        assert_eq!(covered, vec![true, true, true]);
    }

    #[test]
    fn multi_word_keywords_must_be_consecutive() {
        let points = [kws(&["event loop"])];
        let far = covered_points(
            "we loop over each event",
            points.iter().map(|k| k.as_slice()),
        );
        let near = covered_points(
            "the Event-Loop runs tasks",
            points.iter().map(|k| k.as_slice()),
        );
        assert_eq!((far[0], near[0]), (false, true));
    }

    #[test]
    fn a_key_point_matches_on_any_of_its_keywords() {
        let points = [kws(&["bcrypt", "argon2", "scrypt"])];
        assert_eq!(
            covered_points(
                "hash it with Argon2id... or argon2",
                points.iter().map(|k| k.as_slice())
            ),
            vec![true]
        );
        assert_eq!(
            covered_points("hash it with md5", points.iter().map(|k| k.as_slice())),
            vec![false]
        );
    }

    #[test]
    fn punctuation_only_keywords_are_not_matchable() {
        assert!(!is_matchable("**"));
        assert!(is_matchable("**kwargs"));
    }
}
