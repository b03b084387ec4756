//! Loading and validating a bank directory. Every problem is collected, so a
//! writer fixes them all in one pass; a bank with any problem is not returned.

use super::check::{check_question, Located};
use super::keyword_lint;
use super::limits::*;
use super::lines;
use super::model::{Bank, Question, Topic};
use super::problem::{BankErrors, Problem};
use super::question_file;
use super::report::FileReport;
use super::synonyms;
use super::yaml;
use crate::grading::Rubric;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const TOPICS_FILE: &str = "topics.yaml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopicsFile {
    topics: yaml::Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    title: String,
    #[serde(default)]
    description: String,
    subtopics: yaml::Value,
}

/// Loads the bank in `dir`, or every problem that stops it from loading.
pub fn load(dir: &Path) -> Result<Bank, BankErrors> {
    let mut problems = Vec::new();
    let topics = load_topics(dir, &mut problems);
    let lexicon = synonyms::load(dir, &mut problems);
    let mut questions: Vec<(Question, Located)> = Vec::new();
    let mut first_seen: HashMap<String, (PathBuf, usize)> = HashMap::new();

    for path in question_files(dir, &mut problems) {
        let Some(text) = read(&path, &mut problems) else {
            continue;
        };
        let index = lines::Lines::new(&text);
        let mut report = FileReport {
            path: path.clone(),
            text: &text,
            lines: &index,
            problems: &mut problems,
        };
        let slug = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let Some(topic) = topics.get(&slug) else {
            report.at(1, format!(
                "unknown topic `{slug}`: add `{slug}` to {TOPICS_FILE}, or rename this file to <topic-slug>.yaml for an existing topic"
            ));
            continue;
        };
        let raw = question_file::parse(&mut report);
        let checked: Vec<_> = raw
            .into_iter()
            .filter_map(|(q, span)| check_question(&mut report, topic, q, span))
            .collect();
        for (question, place) in checked {
            let line = place.id_line;
            match first_seen.get(&question.id) {
                Some((f, l)) => report.at(
                    line,
                    format!(
                    "duplicate id `{}` (first used at {}:{l}): ids must be unique across the bank",
                    question.id,
                    f.display()
                ),
                ),
                None => {
                    first_seen.insert(question.id.clone(), (path.clone(), line));
                    questions.push((question, place));
                }
            }
        }
    }

    let lexicon = Arc::new(lexicon_for(&topics, &questions, lexicon));
    keyword_lint::check(&lexicon, &questions, &mut problems);
    if problems.is_empty() {
        let questions = questions
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
            .collect();
        Ok(Bank::from_parts(topics, questions))
    } else {
        problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        Err(BankErrors(problems))
    }
}

fn read(path: &Path, problems: &mut Vec<Problem>) -> Option<String> {
    match std::fs::read_to_string(path) {
        Ok(t) => Some(t),
        Err(e) => {
            problems.push(Problem {
                file: path.to_path_buf(),
                line: 1,
                message: format!("cannot read the file: {e}"),
            });
            None
        }
    }
}

fn question_files(dir: &Path, problems: &mut Vec<Problem>) -> Vec<PathBuf> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.push(Problem {
                file: dir.to_path_buf(),
                line: 1,
                message: format!("cannot read the bank folder: {e}"),
            });
            return Vec::new();
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|e| e == "yaml" || e == "yml")
                && p.file_name()
                    .is_some_and(|n| n != TOPICS_FILE && n != synonyms::SYNONYMS_FILE)
        })
        .collect();
    files.sort();
    files
}

fn load_topics(dir: &Path, problems: &mut Vec<Problem>) -> BTreeMap<String, Topic> {
    let path = dir.join(TOPICS_FILE);
    let mut topics = BTreeMap::new();
    let Some(text) = read(&path, problems) else {
        return topics;
    };
    let index = lines::Lines::new(&text);
    let mut report = FileReport {
        path,
        text: &text,
        lines: &index,
        problems,
    };
    let raw: RawTopicsFile = match yaml::parse(&text) {
        Ok(r) => r,
        Err(e) => {
            report.at(e.line, format!("{}: the file must be `topics:` mapping slugs to {{title, description, subtopics}}", e.message));
            return topics;
        }
    };
    let yaml::Value::Mapping(map) = raw.topics else {
        report.at(
            1,
            "`topics:` must be a mapping from topic slug to {title, description, subtopics}",
        );
        return topics;
    };
    for (k, v) in map {
        let slug = k.as_str().unwrap_or_default().to_string();
        let line = index.find_key(&slug, 1, usize::MAX).unwrap_or(1);
        if !is_slug(&slug) {
            report.at(
                line,
                format!("topic slug `{slug}` must be lowercase letters, digits and hyphens"),
            );
            continue;
        }
        let raw: RawTopic = match yaml::from_value(v) {
            Ok(t) => t,
            Err(e) => {
                report.at(line, format!("topic `{slug}`: {e}"));
                continue;
            }
        };
        if raw.title.trim().is_empty() || raw.title.chars().count() > TITLE_MAX {
            report.at(
                line,
                format!("topic `{slug}`: title must be 1 to {TITLE_MAX} characters"),
            );
        }
        let mut subtopics = Vec::new();
        match raw.subtopics {
            yaml::Value::Mapping(subs) if !subs.is_empty() => {
                for (sk, sv) in subs {
                    let sub = sk.as_str().unwrap_or_default().to_string();
                    if !is_slug(&sub) {
                        let l = index.find_key(&sub, line, usize::MAX).unwrap_or(line);
                        report.at(l, format!("subtopic slug `{sub}` of `{slug}` must be lowercase letters, digits and hyphens"));
                    }
                    subtopics.push((sub, sv.as_str().unwrap_or_default().to_string()));
                }
            }
            _ => report.at(line, format!("topic `{slug}`: `subtopics:` must map at least one subtopic slug to its description")),
        }
        topics.insert(
            slug.clone(),
            Topic {
                slug,
                title: raw.title,
                description: raw.description,
                subtopics,
            },
        );
    }
    topics
}

/// The synonym table, taught every word the bank uses, so that the grader
/// never reads a word the bank knows as a typo of another.
fn lexicon_for(
    topics: &BTreeMap<String, Topic>,
    questions: &[(Question, Located)],
    mut lexicon: crate::grading::Lexicon,
) -> crate::grading::Lexicon {
    for t in topics.values() {
        lexicon.learn(&t.description);
        for (_, d) in &t.subtopics {
            lexicon.learn(d);
        }
    }
    for (q, _) in questions {
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
    lexicon
}
