//! A server's question pack: one YAML file in the bank's question format,
//! each question naming its `topic:`, with an optional `topics:` section of
//! the server's own topics (shaped as in `topics.yaml`). It is checked by
//! the shipped bank's own rules (every question, duplicate ids, the keyword
//! lint against the shipped model answers and the pack's together), plus
//! the caps in `limits`.
//!
//! Inside a server's bank a pack question's id is `<server id>:<id>`. A
//! shipped id is a slug, which never holds a `:`, and the server id differs
//! between servers, so a pack can neither shadow a shipped question nor
//! another server's.

use super::assemble;
use super::check::Located;
use super::keyword_lint;
use super::limits::{PACK_MAX_BYTES, PACK_MAX_QUESTIONS, PACK_MAX_TOPICS};
use super::lines::Lines;
use super::model::{Bank, Question, Topic};
use super::problem::{BankErrors, Problem};
use super::question_file;
use super::report::FileReport;
use super::topic_list;
use super::yaml;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPackFile {
    #[serde(default)]
    topics: Option<yaml::Value>,
    questions: Vec<yaml::Value>,
}

const PACK_SHAPE: &str =
    "a pack is `questions:` followed by a list, with an optional `topics:` mapping of the server's own topics";

/// Whether to run the keyword lint. An import always does; rebuilding a
/// stored pack (start-up, a bank reload) skips it: the pack passed it when
/// it was imported, and a shipped bank that grew since must not switch a
/// server's questions off for a keyword that has become less rare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lint {
    Check,
    Skip,
}

/// A checked pack, its questions under the ids the file gives them.
#[derive(Debug, Clone)]
pub struct Pack {
    /// The pack's own topics (never a shipped one).
    pub topics: BTreeMap<String, Topic>,
    pub questions: Vec<Question>,
}

impl Pack {
    /// Topic slug → number of the pack's questions in it, in slug order.
    pub fn counts_by_topic(&self) -> BTreeMap<&str, usize> {
        let mut counts = BTreeMap::new();
        for q in &self.questions {
            *counts.entry(q.topic.as_str()).or_insert(0) += 1;
        }
        counts
    }
}

/// What is wrong with a file of `bytes` bytes, over the cap.
pub fn too_large(bytes: usize) -> String {
    format!(
        "the file is {} KiB; a pack may be at most {} KiB: split it, or leave questions out",
        bytes.div_ceil(1024),
        PACK_MAX_BYTES / 1024
    )
}

pub const NOT_TEXT: &str = "the file is not text: a pack is a YAML file saved as UTF-8 text";

/// A pack question's id inside its server's bank.
pub fn namespaced(guild: u64, id: &str) -> String {
    format!("{guild}:{id}")
}

/// Checks `bytes` (the file `file_name`) as a pack for a server whose
/// shipped bank is `shipped`; every problem is at a line of that file.
pub fn check(
    shipped: &Bank,
    file_name: &str,
    bytes: &[u8],
    lint: Lint,
) -> Result<Pack, BankErrors> {
    let file = PathBuf::from(file_name);
    let fail = |line: usize, message: String| {
        Err(BankErrors(vec![Problem {
            file: file.clone(),
            line,
            message,
        }]))
    };
    if bytes.len() > PACK_MAX_BYTES {
        return fail(1, too_large(bytes.len()));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) if !t.contains('\0') => t,
        _ => return fail(1, NOT_TEXT.into()),
    };
    let lines = Lines::new(text);
    let mut problems = Vec::new();
    let mut report = FileReport {
        path: file.clone(),
        text,
        lines: &lines,
        problems: &mut problems,
    };
    let pack = read(shipped, &mut report, lint);
    match pack {
        Some(pack) if problems.is_empty() => Ok(pack),
        _ => Err(BankErrors(assemble::sorted(problems))),
    }
}

fn read(shipped: &Bank, report: &mut FileReport<'_>, lint: Lint) -> Option<Pack> {
    let raw: RawPackFile = match yaml::parse(report.text) {
        Ok(r) => r,
        Err(e) => {
            let message = e.message.replace("struct RawPackFile", "a mapping");
            report.at(e.line, format!("{message}: fix the YAML ({PACK_SHAPE})"));
            return None;
        }
    };
    let topics = own_topics(shipped, report, raw.topics);
    let questions_line = report
        .lines
        .find_key("questions", 1, usize::MAX)
        .unwrap_or(1);
    match raw.questions.len() {
        0 => report.at(questions_line, "the pack has no questions: list at least one under `questions:`"),
        n if n > PACK_MAX_QUESTIONS => report.at(questions_line, format!(
            "the pack has {n} questions; a server may have at most {PACK_MAX_QUESTIONS}: split it, or leave some out"
        )),
        _ => {}
    }
    let raw = question_file::shape_all(report, raw.questions, true);
    let mut questions: Vec<(Question, Located)> = Vec::new();
    assemble::check_all(
        "the pack",
        report,
        raw,
        |report, q, span| topic_of(shipped, &topics, report, q.topic.as_deref(), span),
        &mut assemble::FirstSeen::new(),
        &mut questions,
    );
    let mut lexicon = (*shipped.lexicon).clone();
    assemble::learn(
        &mut lexicon,
        topics.values(),
        questions.iter().map(|(q, _)| q),
    );
    let lexicon = Arc::new(lexicon);
    if lint == Lint::Check {
        let answers: Vec<&str> = shipped
            .questions
            .iter()
            .map(|q| q.model_answer.as_str())
            .collect();
        keyword_lint::check(&lexicon, &answers, &questions, report.problems);
    }
    let questions = assemble::compile(&lexicon, questions);
    Some(Pack { topics, questions })
}

/// The pack's `topics:`: read by the shipped bank's rules, none of them a
/// shipped topic, and not too many.
fn own_topics(
    shipped: &Bank,
    report: &mut FileReport<'_>,
    value: Option<yaml::Value>,
) -> BTreeMap<String, Topic> {
    let Some(value) = value else {
        return BTreeMap::new();
    };
    let mut topics = topic_list::read(report, value);
    let clashing: Vec<String> = topics
        .keys()
        .filter(|s| shipped.topics.contains_key(*s))
        .cloned()
        .collect();
    for slug in clashing {
        let line = report.lines.find_key(&slug, 1, usize::MAX).unwrap_or(1);
        report.at(line, format!(
            "topic `{slug}` is a shipped topic: a pack may add questions to it (`topic: {slug}`) but not define it again; give your topic another slug"
        ));
        topics.remove(&slug);
    }
    if topics.len() > PACK_MAX_TOPICS {
        let line = report.lines.find_key("topics", 1, usize::MAX).unwrap_or(1);
        report.at(
            line,
            format!(
                "the pack has {} topics; a server may add at most {PACK_MAX_TOPICS}: merge some",
                topics.len()
            ),
        );
    }
    topics
}

/// The topic a pack question names: one of the pack's own, or a shipped one.
fn topic_of<'t>(
    shipped: &'t Bank,
    own: &'t BTreeMap<String, Topic>,
    report: &mut FileReport<'_>,
    topic: Option<&str>,
    span: question_file::Span,
) -> Option<&'t Topic> {
    let slug = topic?;
    if let Some(t) = own.get(slug).or_else(|| shipped.topics.get(slug)) {
        return Some(t);
    }
    let line = report
        .lines
        .find_key("topic", span.0, span.1)
        .unwrap_or(span.0);
    let mine: Vec<&str> = own.keys().map(String::as_str).collect();
    let theirs: Vec<&str> = shipped.topics.keys().map(String::as_str).collect();
    report.at(line, format!(
        "unknown topic `{slug}`: use one of the pack's topics ({}) or a shipped one ({}), or add `{slug}` under `topics:`",
        if mine.is_empty() { "none yet".to_string() } else { mine.join(", ") },
        theirs.join(", ")
    ));
    None
}

impl Bank {
    /// This bank with a server's pack added: its topics, and its questions
    /// under their namespaced ids. The shipped questions are shared in
    /// spirit but copied here (their compiled rubrics are shared).
    pub fn with_pack(&self, guild: u64, pack: &Pack) -> Bank {
        let mut topics = self.topics.clone();
        topics.extend(pack.topics.iter().map(|(k, t)| (k.clone(), t.clone())));
        let mut questions = self.questions.clone();
        questions.extend(pack.questions.iter().cloned().map(|mut q| {
            q.id = namespaced(guild, &q.id);
            q
        }));
        Bank::from_parts(topics, questions).with_lexicon(Arc::clone(&self.lexicon))
    }
}

/// The attachment's name as problems show it: no path, no markdown ticks.
pub fn display_name(filename: &str) -> String {
    let base = filename.rsplit(['/', '\\']).next().unwrap_or(filename);
    let clean: String = base
        .chars()
        .filter(|c| *c != '`' && !c.is_control())
        .collect();
    if clean.is_empty() {
        "pack.yaml".into()
    } else {
        clean.chars().take(100).collect()
    }
}

/// Whether Discord's media type for the file can be a text file. Unknown
/// and generic types are let through: the bytes are checked as UTF-8 text.
pub fn may_be_text(content_type: Option<&str>) -> bool {
    let Some(t) = content_type else { return true };
    let media = t
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    media.starts_with("text/")
        || matches!(
            media.as_str(),
            "application/yaml"
                | "application/x-yaml"
                | "application/json"
                | "application/octet-stream"
        )
}
