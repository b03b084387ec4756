//! Common English words and stock phrases: too ordinary to show that an answer
//! knows a key point ("for example" is in every other answer), and known to be
//! real words, so never taken for a typo.

use super::tokens;
use std::collections::HashSet;
use std::sync::OnceLock;

const WORDS: &str = "
about above across act action actually add after again against ago all allow almost alone along already
also always among amount and another answer any anyone anything anyway appear apply approach area around
as ask at available avoid away back bad base be because become been before begin behind being below best
better between big bit both bring build but by call can care carry case cause certain chance change check
choice choose clear clearly close come common complete consider could course create current day deal
decide default delay depend detail different directly do does done down during each early easy effect
either else end enough entire even ever every everything exactly example except expect explicitly fact
fail fall far fast feel few fill final find fine first fix follow for form free from full get give go
good great group grow half hand handle happen hard has have help here high hold how however idea if
important in include instead into is issue it its itself just keep kind know large last late later lead
least leave less let level like likely line little long look lot low main make many matter may maybe
mean might more most move much must name need never new next nice no none normal not nothing now number
of off often old on once one only open or order other otherwise out over own part pass people per perhaps
place plan point possible pretty probably problem proper properly put quick quickly quite rather read
ready real really reason right run safe same say second see seem set several should show side simple
simply since small so some something sometimes soon sort start state still stop such sure take tell than
that the their them then there these thing think this those though through thus time to together too
total true try turn twice two type under unless until up upon us use used useful usual usually value
very want way well what when where whether which while who whole why will with within without work
would wrong yes yet you your
";

/// Phrases that carry no content of their own.
pub const STOCK_PHRASES: [&str; 16] = [
    "for example",
    "for instance",
    "such as",
    "by default",
    "in general",
    "in practice",
    "of course",
    "at least",
    "at all",
    "as well",
    "in fact",
    "in order to",
    "make sure",
    "the same",
    "each time",
    "every time",
];

fn words() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| WORDS.split_whitespace().collect())
}

fn stock_phrases() -> &'static [Vec<String>] {
    static LIST: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    LIST.get_or_init(|| {
        STOCK_PHRASES
            .iter()
            .map(|p| tokens::tokenize(p).into_iter().map(|t| t.form).collect())
            .collect()
    })
}

fn stems() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| words().iter().map(|w| tokens::stem(w)).collect())
}

/// A lowercase word that is common English.
pub fn is_common_word(raw: &str) -> bool {
    words().contains(raw)
}

/// A keyword that says nothing specific: one common word (in any inflection)
/// or a stock phrase.
pub fn is_common_keyword(keyword: &str) -> bool {
    let toks = tokens::tokenize(keyword);
    let forms: Vec<&str> = toks.iter().map(|t| t.form.as_str()).collect();
    match forms.as_slice() {
        [one] => toks[0].kind == tokens::Kind::Word && stems().contains(*one),
        _ => stock_phrases()
            .iter()
            .any(|p| p.iter().map(String::as_str).eq(forms.iter().copied())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_words_and_stock_phrases_are_flagged_in_any_form() {
        for k in [
            "explicitly",
            "twice",
            "delays",
            "for example",
            "By default",
            "examples",
        ] {
            assert!(is_common_keyword(k), "{k}");
        }
        for k in [
            "hashable",
            "event loop",
            "__call__",
            "401 unauthorized",
            "default=",
            "sentinel",
        ] {
            assert!(!is_common_keyword(k), "{k}");
        }
    }
}
