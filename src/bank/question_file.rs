//! Reading a topic's question file into raw questions, checking each field on
//! its own, so that every shape problem of every question is reported in one
//! run (serde stops at the first one).

use super::model::Difficulty;
use super::report::FileReport;
use super::yaml;
use serde::de::DeserializeOwned;
use serde::Deserialize;

const QUESTION_FIELDS: [&str; 9] = [
    "id",
    "difficulty",
    "tags",
    "prompt",
    "key_points",
    "model_answer",
    "hints",
    "follow_ups",
    "time_limit_minutes",
];
/// A pack is one file for many topics, so each of its questions names its own.
const PACK_QUESTION_FIELDS: [&str; 10] = [
    "id",
    "topic",
    "difficulty",
    "tags",
    "prompt",
    "key_points",
    "model_answer",
    "hints",
    "follow_ups",
    "time_limit_minutes",
];
const KEY_POINT_FIELDS: [&str; 2] = ["point", "keywords"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestionFile {
    questions: Vec<yaml::Value>,
}

pub struct RawQuestion {
    pub id: String,
    /// Only in a pack, where it is required; a bank file's name is its topic.
    pub topic: Option<String>,
    pub difficulty: Difficulty,
    pub tags: Vec<String>,
    pub prompt: String,
    pub key_points: Vec<RawKeyPoint>,
    pub model_answer: String,
    pub hints: Vec<String>,
    pub follow_ups: Vec<String>,
    pub time_limit_minutes: Option<u32>,
}

pub struct RawKeyPoint {
    pub point: String,
    pub keywords: Vec<String>,
}

/// The 1-based lines `[start, end)` a question takes in its file.
pub type Span = (usize, usize);

/// Every question of the file that has the right shape, with its span.
pub fn parse(report: &mut FileReport<'_>) -> Vec<(RawQuestion, Span)> {
    let raw: RawQuestionFile = match yaml::parse(report.text) {
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
    shape_all(report, raw.questions, false)
}

/// Each listed question checked for its shape, with the lines it takes;
/// `in_pack` asks for each question's own `topic:`.
pub fn shape_all(
    report: &mut FileReport<'_>,
    questions: Vec<yaml::Value>,
    in_pack: bool,
) -> Vec<(RawQuestion, Span)> {
    let mut spans = report.lines.sequence_items("questions");
    if spans.len() != questions.len() {
        // Flow style or an unusual layout: the `questions:` line is the
        // best location there is.
        let line = report
            .lines
            .find_key("questions", 1, usize::MAX)
            .unwrap_or(1);
        spans = vec![(line, usize::MAX); questions.len()];
    }
    questions
        .into_iter()
        .zip(spans)
        .filter_map(|(value, span)| shape(report, value, span, in_pack).map(|q| (q, span)))
        .collect()
}

/// Fields of one mapping, checked one at a time; problems go to the report.
struct Fields<'r, 'a> {
    report: &'r mut FileReport<'a>,
    map: yaml::Mapping,
    span: Span,
    failed: bool,
    had_unknown: bool,
}

impl Fields<'_, '_> {
    fn line_of(&self, key: &str) -> usize {
        self.report
            .lines
            .find_key(key, self.span.0, self.span.1)
            .unwrap_or(self.span.0)
    }

    fn unknown(&mut self, known: &[&str], at: usize) {
        let expected: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
        let keys: Vec<String> = self
            .map
            .keys()
            .map(|k| {
                k.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("{k:?}"))
            })
            .collect();
        for key in keys.into_iter().filter(|k| !known.contains(&k.as_str())) {
            let line = self
                .report
                .lines
                .find_key(&key, at, self.span.1)
                .unwrap_or(at);
            self.report.at(
                line,
                format!(
                    "unknown field `{key}`, expected one of {}: remove or rename the field",
                    expected.join(", ")
                ),
            );
            self.failed = true;
            self.had_unknown = true;
        }
    }

    fn take<T: DeserializeOwned>(&mut self, key: &str) -> Option<T> {
        let value = self.map.remove(key)?;
        match yaml::from_value::<T>(value) {
            Ok(v) => Some(v),
            Err(e) => {
                let line = self.line_of(key);
                let message = if key == "difficulty" {
                    format!("bad difficulty: {e}")
                } else {
                    format!("`{key}`: {e}")
                };
                self.report.at(line, message);
                self.failed = true;
                None
            }
        }
    }

    /// A field that must be there. Its absence is reported only when the
    /// mapping has no unknown field, which is usually the misspelt one.
    fn required<T: DeserializeOwned>(&mut self, key: &str, needs: &str) -> Option<T> {
        if !self.map.contains_key(key) {
            if !self.had_unknown {
                self.report
                    .at(self.span.0, format!("missing field `{key}`: {needs}"));
            }
            self.failed = true;
            return None;
        }
        self.take(key)
    }
}

const QUESTION_NEEDS: &str =
    "every question needs id, difficulty, tags, prompt, key_points and model_answer";
const PACK_QUESTION_NEEDS: &str =
    "every question of a pack needs id, topic, difficulty, tags, prompt, key_points and model_answer";

fn shape(
    report: &mut FileReport<'_>,
    value: yaml::Value,
    span: Span,
    in_pack: bool,
) -> Option<RawQuestion> {
    let yaml::Value::Mapping(map) = value else {
        report.at(
            span.0,
            "each question must be a mapping of fields (id, difficulty, tags, prompt, key_points, model_answer, ...)",
        );
        return None;
    };
    let mut f = Fields {
        report,
        map,
        span,
        failed: false,
        had_unknown: false,
    };
    let (fields, needs): (&[&str], _) = if in_pack {
        (&PACK_QUESTION_FIELDS, PACK_QUESTION_NEEDS)
    } else {
        (&QUESTION_FIELDS, QUESTION_NEEDS)
    };
    f.unknown(fields, span.0);
    let id = f.required("id", needs);
    let topic: Option<String> = if in_pack {
        f.required("topic", needs)
    } else {
        None
    };
    let difficulty = f.required("difficulty", needs);
    let tags = f.take("tags").unwrap_or_default();
    let prompt = f.required("prompt", needs);
    let points: Option<Vec<yaml::Value>> = f.required("key_points", needs);
    let model_answer = f.required("model_answer", needs);
    let hints = f.take("hints").unwrap_or_default();
    let follow_ups = f.take("follow_ups").unwrap_or_default();
    let time_limit_minutes = f.take("time_limit_minutes");
    let points_line = f.line_of("key_points");
    let key_points = points.map(|list| key_points(f.report, list, (points_line, span.1)));
    let failed = f.failed;
    match (id, difficulty, prompt, key_points, model_answer) {
        (Some(id), Some(difficulty), Some(prompt), Some(Some(key_points)), Some(model_answer))
            if !failed =>
        {
            Some(RawQuestion {
                id,
                topic,
                difficulty,
                tags,
                prompt,
                key_points,
                model_answer,
                hints,
                follow_ups,
                time_limit_minutes,
            })
        }
        _ => None,
    }
}

/// The key points, each checked for its own fields; None if any is broken.
fn key_points(
    report: &mut FileReport<'_>,
    list: Vec<yaml::Value>,
    (from, to): Span,
) -> Option<Vec<RawKeyPoint>> {
    let mut out = Vec::new();
    let mut failed = false;
    for (i, value) in list.into_iter().enumerate() {
        let line = report
            .lines
            .find_nth_key("point", from, to, i)
            .unwrap_or(from);
        let yaml::Value::Mapping(map) = value else {
            report.at(
                line,
                format!("key point {} must be `point:` with `keywords:`", i + 1),
            );
            failed = true;
            continue;
        };
        let mut f = Fields {
            report,
            map,
            span: (line, to),
            failed: false,
            had_unknown: false,
        };
        f.unknown(&KEY_POINT_FIELDS, line);
        let point = f.required("point", "every key point needs `point:` and `keywords:`");
        let keywords = f.take("keywords").unwrap_or_default();
        failed |= f.failed;
        if let Some(point) = point {
            out.push(RawKeyPoint { point, keywords });
        }
    }
    (!failed).then_some(out)
}
