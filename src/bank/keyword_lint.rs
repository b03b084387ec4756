//! Applies the grader's keyword rules to the whole bank, each problem at the
//! `keywords:` line of its key point. A pack's questions are checked against
//! the shipped bank's model answers too (`others`), so a pack keyword is as
//! specific among everything a server's interviews can ask.

use super::check::Located;
use super::model::Question;
use super::problem::Problem;
use crate::grading::{self, lint, Lexicon};

pub fn check(
    lexicon: &Lexicon,
    others: &[&str],
    questions: &[(Question, Located)],
    problems: &mut Vec<Problem>,
) {
    let corpus = lint::Corpus::new(
        lexicon,
        others
            .iter()
            .copied()
            .chain(questions.iter().map(|(q, _)| q.model_answer.as_str())),
    );
    for (i, (q, at)) in questions.iter().enumerate() {
        let own = others.len() + i;
        let prompt = grading::terms(lexicon, &q.prompt);
        for (p, kp) in q.key_points.iter().enumerate() {
            let line = at.keyword_lines.get(p).copied().unwrap_or(at.id_line);
            for k in &kp.keywords {
                for rule in lint::check(lexicon, k, &prompt, &corpus, own) {
                    problems.push(Problem {
                        file: at.file.clone(),
                        line,
                        message: format!("question `{}`: {}", q.id, rule.message(k, p + 1)),
                    });
                }
            }
        }
    }
}
