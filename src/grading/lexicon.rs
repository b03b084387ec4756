//! What the matcher knows beyond one question: synonym groups shared by the
//! whole bank, and the words the bank uses (so a word it knows is never taken
//! for a typo of another).

use super::negation;
use super::tokens::{self, Token};
use std::collections::{HashMap, HashSet};

/// A token after synonyms are applied, with what the matcher needs of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub form: String,
    /// Inside a negated clause (see `negation`).
    pub negated: bool,
    pub start: usize,
    pub end: usize,
}

/// Synonym groups and the bank's vocabulary. Built once per bank.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// First form of a phrase → (the phrase's forms, its group), longest first.
    phrases: HashMap<String, Vec<(Vec<String>, usize)>>,
    /// Lowercase words the bank itself uses.
    vocabulary: HashSet<String>,
}

/// A synonym group that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupProblem {
    /// Index of the group in the list given to `Lexicon::new`.
    pub group: usize,
    pub message: String,
}

impl Lexicon {
    /// Builds the synonym table. Every group needs two or more phrases, each
    /// with a letter or digit, and a phrase may belong to one group only.
    pub fn new(groups: &[Vec<String>]) -> Result<Lexicon, Vec<GroupProblem>> {
        let mut lexicon = Lexicon::default();
        let mut problems = Vec::new();
        let mut owner: HashMap<Vec<String>, usize> = HashMap::new();
        for (g, members) in groups.iter().enumerate() {
            if members.len() < 2 {
                problems.push(GroupProblem {
                    group: g,
                    message: "a synonym group needs at least 2 phrases".into(),
                });
            }
            for phrase in members {
                let forms: Vec<String> = tokens::tokenize(phrase)
                    .into_iter()
                    .map(|t| t.form)
                    .collect();
                if forms.is_empty() {
                    problems.push(GroupProblem {
                        group: g,
                        message: format!(
                            "`{phrase}` has no letters or digits, so it can never match"
                        ),
                    });
                    continue;
                }
                match owner.get(&forms) {
                    Some(&other) if other != g => problems.push(GroupProblem {
                        group: g,
                        message: format!(
                            "`{phrase}` is also in synonym group {}: a phrase may be in one group only",
                            other + 1
                        ),
                    }),
                    Some(_) => {}
                    None => {
                        owner.insert(forms.clone(), g);
                        lexicon.learn(phrase);
                        lexicon
                            .phrases
                            .entry(forms[0].clone())
                            .or_default()
                            .push((forms, g));
                    }
                }
            }
        }
        for list in lexicon.phrases.values_mut() {
            list.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
        }
        if problems.is_empty() {
            Ok(lexicon)
        } else {
            Err(problems)
        }
    }

    /// Adds the words of `text` to the known vocabulary. Only the words as
    /// written matter here, so nothing is stemmed.
    pub fn learn(&mut self, text: &str) {
        for word in text.split(|c: char| !c.is_alphabetic()) {
            if word.chars().count() >= 2 && !self.vocabulary.contains(word) {
                self.vocabulary.insert(word.to_lowercase());
            }
        }
    }

    pub fn knows(&self, raw_word: &str) -> bool {
        self.vocabulary.contains(raw_word) || super::common::is_common_word(raw_word)
    }

    /// The terms of already tokenized text: negation marked, then synonym
    /// phrases replaced by their group, longest phrase first.
    pub fn terms(&self, tokens: &[Token]) -> Vec<Term> {
        let flags = negation::negated(tokens);
        let mut out = Vec::with_capacity(tokens.len());
        let mut i = 0;
        while i < tokens.len() {
            let hit = self.phrases.get(&tokens[i].form).and_then(|list| {
                list.iter().find(|(forms, _)| {
                    tokens.len() - i >= forms.len()
                        && forms.iter().zip(&tokens[i..]).all(|(f, t)| *f == t.form)
                })
            });
            let (len, form) = match hit {
                Some((forms, g)) => (forms.len(), format!("~{g}")),
                None => (1, tokens[i].form.clone()),
            };
            out.push(Term {
                form,
                negated: flags[i],
                start: tokens[i].start,
                end: tokens[i + len - 1].end,
            });
            i += len;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(g: &[&[&str]]) -> Vec<Vec<String>> {
        g.iter()
            .map(|m| m.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    #[test]
    fn members_of_a_group_become_one_term() {
        let lex = Lexicon::new(&groups(&[&["once", "one time"], &["block", "freeze"]])).unwrap();
        let a = lex.terms(&tokens::tokenize("evaluated one time; it freezes"));
        let b = lex.terms(&tokens::tokenize("evaluated once; it blocks"));
        let forms = |t: &[Term]| t.iter().map(|t| t.form.clone()).collect::<Vec<_>>();
        assert_eq!(forms(&a), forms(&b));
        assert_eq!(forms(&a), ["evalu", "~0", "it", "~1"]);
    }

    #[test]
    fn a_phrase_in_two_groups_and_a_lone_phrase_are_refused() {
        let err = Lexicon::new(&groups(&[
            &["once", "one time"],
            &["once", "single"],
            &["alone"],
        ]))
        .unwrap_err();
        assert_eq!(err.len(), 2);
        assert!(err[0].message.contains("one group only"), "{err:?}");
        assert!(err[1].message.contains("at least 2"), "{err:?}");
    }
}
