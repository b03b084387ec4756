//! The steps the shipped bank and a server's pack share once their files are
//! read: checking each question and its id, teaching the lexicon the bank's
//! words, the keyword lint, and compiling each question's rubric.

use super::check::{check_question, Located};
use super::model::{Question, Topic};
use super::problem::Problem;
use super::question_file::{RawQuestion, Span};
use super::report::FileReport;
use crate::grading::{Lexicon, Rubric};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// Where each id was first used, for duplicate-id messages.
pub type FirstSeen = HashMap<String, (PathBuf, usize)>;

/// Checks every raw question against its topic and keeps the ones without
/// problems; an id used before (in `first_seen`) is a problem too.
/// `scope` names where ids must be unique ("the bank", "the pack").
pub fn check_all<'t>(
    scope: &str,
    report: &mut FileReport<'_>,
    raw: Vec<(RawQuestion, Span)>,
    mut topic_of: impl FnMut(&mut FileReport<'_>, &RawQuestion, Span) -> Option<&'t Topic>,
    first_seen: &mut FirstSeen,
    out: &mut Vec<(Question, Located)>,
) {
    for (q, span) in raw {
        let Some(topic) = topic_of(report, &q, span) else {
            continue;
        };
        let Some((question, place)) = check_question(report, topic, q, span) else {
            continue;
        };
        let line = place.id_line;
        match first_seen.get(&question.id) {
            Some((f, l)) => report.at(
                line,
                format!(
                    "duplicate id `{}` (first used at {}:{l}): ids must be unique across {scope}",
                    question.id,
                    f.display()
                ),
            ),
            None => {
                first_seen.insert(question.id.clone(), (report.path.clone(), line));
                out.push((question, place));
            }
        }
    }
}

/// Teaches the lexicon every word of these topics and questions, so that
/// the grader never reads a word the bank knows as a typo of another.
pub fn learn<'a>(
    lexicon: &mut Lexicon,
    topics: impl IntoIterator<Item = &'a Topic>,
    questions: impl IntoIterator<Item = &'a Question>,
) {
    for t in topics {
        lexicon.learn(&t.description);
        for (_, d) in &t.subtopics {
            lexicon.learn(d);
        }
    }
    for q in questions {
        for text in [&q.prompt, &q.model_answer]
            .into_iter()
            .chain(&q.hints)
            .chain(&q.follow_ups)
        {
            lexicon.learn(text);
        }
        for k in &q.key_points {
            lexicon.learn(&k.point);
            k.keywords.iter().for_each(|w| lexicon.learn(w));
        }
    }
}

/// The questions with their rubrics compiled against `lexicon`.
pub fn compile(lexicon: &Arc<Lexicon>, questions: Vec<(Question, Located)>) -> Vec<Question> {
    questions
        .into_iter()
        .map(|(mut q, _)| {
            q.rubric = Rubric::new(
                lexicon.clone(),
                q.key_points
                    .iter()
                    .map(|k| (k.point.as_str(), k.keywords.as_slice())),
            );
            q
        })
        .collect()
}

/// Problems in file and line order, as every report lists them.
pub fn sorted(mut problems: Vec<Problem>) -> Vec<Problem> {
    problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    problems
}
