//! Loading and validating a bank directory. Every problem is collected, so a
//! writer fixes them all in one pass; a bank with any problem is not returned.

use super::limits::*;
use super::lines;
use super::model::{Bank, Difficulty, KeyPoint, Question, Topic};
use super::problem::{BankErrors, Problem};
use super::yaml;
use crate::interview::rubric;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestionFile {
    questions: Vec<yaml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TypedQuestionFile {
    questions: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: String,
    difficulty: Difficulty,
    #[serde(default)]
    tags: Vec<String>,
    prompt: String,
    key_points: Vec<RawKeyPoint>,
    model_answer: String,
    #[serde(default)]
    hints: Vec<String>,
    #[serde(default)]
    follow_ups: Vec<String>,
    #[serde(default)]
    time_limit_minutes: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKeyPoint {
    point: String,
    #[serde(default)]
    keywords: Vec<String>,
}

/// Collects problems for one file.
struct FileReport<'a> {
    path: PathBuf,
    text: &'a str,
    lines: &'a lines::Lines<'a>,
    problems: &'a mut Vec<Problem>,
}

impl FileReport<'_> {
    fn at(&mut self, line: usize, message: impl Into<String>) {
        self.problems.push(Problem {
            file: self.path.clone(),
            line: line.max(1),
            message: message.into(),
        });
    }
}

/// Loads the bank in `dir`, or every problem that stops it from loading.
pub fn load(dir: &Path) -> Result<Bank, BankErrors> {
    let mut problems = Vec::new();
    let topics = load_topics(dir, &mut problems);
    let mut questions = Vec::new();
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
        for (question, line) in parse_questions(&mut report, topic) {
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
                    questions.push(question);
                }
            }
        }
    }

    if problems.is_empty() {
        Ok(Bank::from_parts(topics, questions))
    } else {
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
                && p.file_name().is_some_and(|n| n != TOPICS_FILE)
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

/// Parses each item of `questions:` on its own, so one bad question does not
/// hide the problems of the others, and so serde's line numbers are exact.
fn parse_questions(report: &mut FileReport<'_>, topic: &Topic) -> Vec<(Question, usize)> {
    let text = report.text;
    let items = report.lines.sequence_items("questions");
    // The common case, a file without YAML or type errors, is parsed once;
    // only a file with errors is parsed item by item to find them all.
    if let Ok(file) = yaml::parse::<TypedQuestionFile>(text) {
        if file.questions.len() == items.len() {
            return file
                .questions
                .into_iter()
                .zip(items)
                .filter_map(|(q, range)| check_question(report, topic, q, range))
                .collect();
        }
    }
    let raw: RawQuestionFile = match yaml::parse(text) {
        Ok(r) => r,
        Err(e) => {
            report.at(
                e.line,
                format!(
                    "{}: fix the YAML (the file must be `questions:` followed by a list)",
                    e.message
                ),
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    if items.len() != raw.questions.len() {
        // Flow-style or unusual layout: fall back to per-value parsing with
        // the `questions:` line as the location.
        let line = report
            .lines
            .find_key("questions", 1, usize::MAX)
            .unwrap_or(1);
        for v in raw.questions {
            match yaml::from_value::<RawQuestion>(v) {
                Ok(q) => out.extend(check_question(report, topic, q, (line, usize::MAX))),
                Err(e) => report.at(line, e),
            }
        }
        return out;
    }
    for (start, end) in items {
        let slice = report.lines.slice(start, end);
        match yaml::parse::<Vec<RawQuestion>>(&slice) {
            Ok(mut qs) if qs.len() == 1 => {
                if let Some(q) = qs.pop() {
                    out.extend(check_question(report, topic, q, (start, end)));
                }
            }
            Ok(_) => report.at(start, "expected one question here"),
            // Each item is parsed as a one-element list, so serde's path
            // starts with `.[0].`; the line already says which question.
            Err(e) => report.at(
                start + e.line - 1,
                describe_serde(strip_item_path(&e.message)),
            ),
        }
    }
    out
}

/// `.[0].prompt: msg` → `prompt: msg`; `[0]: msg` → `msg`.
fn strip_item_path(msg: &str) -> &str {
    let rest = msg.strip_prefix('.').unwrap_or(msg);
    match rest.strip_prefix("[0]") {
        Some(r) => r.trim_start_matches('.').trim_start_matches(": "),
        None => msg,
    }
}

fn describe_serde(msg: &str) -> String {
    if msg.contains("unknown field") {
        format!("{msg}: remove or rename the field")
    } else if msg.contains("unknown variant") && msg.contains("easy") {
        format!("bad {msg}")
    } else if msg.contains("missing field") {
        format!(
            "{msg}: every question needs id, difficulty, tags, prompt, key_points and model_answer"
        )
    } else {
        msg.to_string()
    }
}

fn check_question(
    report: &mut FileReport<'_>,
    topic: &Topic,
    q: RawQuestion,
    (start, end): (usize, usize),
) -> Option<(Question, usize)> {
    let index = report.lines;
    let before = report.problems.len();
    let line_of = |key: &str| index.find_key(key, start, end).unwrap_or(start);
    let id_line = line_of("id");

    if !is_slug(&q.id) {
        report.at(
            id_line,
            format!(
                "id `{}` must be a slug: lowercase letters, digits and single hyphens",
                q.id
            ),
        );
    }
    if q.tags.is_empty() {
        report.at(
            line_of("tags"),
            format!(
                "question `{}` has no tags: tag it with subtopics of `{}`",
                q.id, topic.slug
            ),
        );
    }
    for tag in &q.tags {
        if !topic.subtopics.iter().any(|(s, _)| s == tag) {
            let known: Vec<&str> = topic.subtopics.iter().map(|(s, _)| s.as_str()).collect();
            report.at(
                line_of("tags"),
                format!(
                    "unknown tag `{tag}` for topic `{}`: use one of {}",
                    topic.slug,
                    known.join(", ")
                ),
            );
        }
    }
    if q.prompt.trim().is_empty() {
        report.at(
            line_of("prompt"),
            "empty prompt: write the question the candidate will see",
        );
    }
    check_len(report, line_of("prompt"), "prompt", &q.prompt, PROMPT_MAX);
    check_len(
        report,
        line_of("model_answer"),
        "model_answer",
        &q.model_answer,
        MODEL_ANSWER_MAX,
    );
    if q.model_answer.trim().is_empty() {
        report.at(
            line_of("model_answer"),
            "empty model_answer: write the answer shown after the question",
        );
    }
    if q.key_points.len() < MIN_KEY_POINTS {
        report.at(
            line_of("key_points"),
            format!(
                "{} key point(s): a question needs at least {MIN_KEY_POINTS}, each with keywords",
                q.key_points.len()
            ),
        );
    }
    let kp_base = line_of("key_points");
    for (i, kp) in q.key_points.iter().enumerate() {
        let line = index
            .find_nth_key("point", kp_base, end, i)
            .unwrap_or(kp_base);
        check_len(
            report,
            line,
            &format!("key point {}", i + 1),
            &kp.point,
            KEY_POINT_MAX,
        );
        if kp.point.trim().is_empty() {
            report.at(
                line,
                format!(
                    "key point {} is empty: say what a good answer mentions",
                    i + 1
                ),
            );
        }
        if kp.keywords.is_empty() {
            report.at(
                line,
                format!(
                    "key point {} has no keywords: list words a correct answer would contain",
                    i + 1
                ),
            );
        }
        for k in &kp.keywords {
            if !rubric::is_matchable(k) {
                report.at(line, format!("keyword `{k}` of key point {} has no letters or digits, so it can never match", i + 1));
            }
        }
    }
    for h in &q.hints {
        check_len(report, line_of("hints"), "hint", h, HINT_MAX);
    }
    for f in &q.follow_ups {
        check_len(report, line_of("follow_ups"), "follow-up", f, FOLLOW_UP_MAX);
    }
    if let Some(m) = q.time_limit_minutes {
        if !TIME_LIMIT_RANGE.contains(&m) {
            report.at(
                line_of("time_limit_minutes"),
                format!("time_limit_minutes is {m}: use 1 to 60, or leave it out"),
            );
        }
    }
    if report.problems.len() > before {
        return None;
    }
    Some((
        Question {
            id: q.id,
            topic: topic.slug.clone(),
            difficulty: q.difficulty,
            tags: q.tags,
            prompt: q.prompt.trim_end().to_string(),
            key_points: q
                .key_points
                .into_iter()
                .map(|k| KeyPoint {
                    point: k.point,
                    keywords: k.keywords,
                })
                .collect(),
            model_answer: q.model_answer.trim_end().to_string(),
            hints: q.hints,
            follow_ups: q.follow_ups,
            time_limit_minutes: q.time_limit_minutes,
        },
        id_line,
    ))
}

fn check_len(report: &mut FileReport<'_>, line: usize, what: &str, text: &str, max: usize) {
    let n = text.trim_end().chars().count();
    if n > max {
        report.at(
            line,
            format!("{what} is {n} characters; Discord shows at most {max}: shorten it"),
        );
    }
}
