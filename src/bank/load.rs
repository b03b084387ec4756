//! Loading and validating a bank directory. Every problem is collected, so a
//! writer fixes them all in one pass; a bank with any problem is not returned.

use super::assemble;
use super::check::Located;
use super::keyword_lint;
use super::lines;
use super::model::{Bank, Question, Topic};
use super::problem::{BankErrors, Problem};
use super::question_file;
use super::report::FileReport;
use super::synonyms;
use super::topic_list;
use super::yaml;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const TOPICS_FILE: &str = "topics.yaml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopicsFile {
    topics: yaml::Value,
}

/// Loads the bank in `dir`, or every problem that stops it from loading.
pub fn load(dir: &Path) -> Result<Bank, BankErrors> {
    let mut problems = Vec::new();
    let topics = load_topics(dir, &mut problems);
    let mut lexicon = synonyms::load(dir, &mut problems);
    let mut questions: Vec<(Question, Located)> = Vec::new();
    let mut first_seen = assemble::FirstSeen::new();

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
        assemble::check_all(
            "the bank",
            &mut report,
            raw,
            |_, _, _| Some(topic),
            &mut first_seen,
            &mut questions,
        );
    }

    assemble::learn(
        &mut lexicon,
        topics.values(),
        questions.iter().map(|(q, _)| q),
    );
    let lexicon = Arc::new(lexicon);
    keyword_lint::check(&lexicon, &[], &questions, &mut problems);
    if problems.is_empty() {
        let questions = assemble::compile(&lexicon, questions);
        Ok(Bank::from_parts(topics, questions).with_lexicon(lexicon))
    } else {
        Err(BankErrors(assemble::sorted(problems)))
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
    let Some(text) = read(&path, problems) else {
        return BTreeMap::new();
    };
    let index = lines::Lines::new(&text);
    let mut report = FileReport {
        path,
        text: &text,
        lines: &index,
        problems,
    };
    match yaml::parse::<RawTopicsFile>(&text) {
        Ok(raw) => topic_list::read(&mut report, raw.topics),
        Err(e) => {
            report.at(e.line, format!("{}: the file must be `topics:` mapping slugs to {{title, description, subtopics}}", e.message));
            BTreeMap::new()
        }
    }
}
