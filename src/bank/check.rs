//! The rules a question must follow beyond its shape: slugs, tags, lengths
//! Discord can show, key points with matchable keywords, time limits.

use super::limits::*;
use super::model::{KeyPoint, Question, Topic};
use super::question_file::{RawQuestion, Span};
use super::report::FileReport;
use crate::grading::{self, Rubric};

/// Where a checked question's parts are, for problems found across the bank.
pub struct Located {
    pub file: std::path::PathBuf,
    pub id_line: usize,
    /// The `keywords:` line of each key point.
    pub keyword_lines: Vec<usize>,
}

pub fn check_question(
    report: &mut FileReport<'_>,
    topic: &Topic,
    q: RawQuestion,
    (start, end): Span,
) -> Option<(Question, Located)> {
    let index = report.lines;
    let before = report.problems.len();
    let line_of = |key: &str| index.find_key(key, start, end).unwrap_or(start);
    let id_line = line_of("id");

    check_id_and_tags(report, topic, &q, id_line, line_of("tags"));
    check_texts(report, &q, line_of("prompt"), line_of("model_answer"));
    let kp_base = line_of("key_points");
    check_key_points(report, &q, kp_base, end);
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
    let keyword_lines = (0..q.key_points.len())
        .map(|i| {
            index
                .find_nth_key("keywords", kp_base, end, i)
                .unwrap_or(kp_base)
        })
        .collect();
    let located = Located {
        file: report.path.clone(),
        id_line,
        keyword_lines,
    };
    Some((into_question(q, topic), located))
}

/// The id is a slug, and the tags are the topic's subtopics.
fn check_id_and_tags(
    report: &mut FileReport<'_>,
    topic: &Topic,
    q: &RawQuestion,
    id_line: usize,
    tags_line: usize,
) {
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
            tags_line,
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
                tags_line,
                format!(
                    "unknown tag `{tag}` for topic `{}`: use one of {}",
                    topic.slug,
                    known.join(", ")
                ),
            );
        }
    }
}

/// The prompt and model answer are there, and within their lengths.
fn check_texts(
    report: &mut FileReport<'_>,
    q: &RawQuestion,
    prompt_line: usize,
    answer_line: usize,
) {
    if q.prompt.trim().is_empty() {
        report.at(
            prompt_line,
            "empty prompt: write the question the candidate will see",
        );
    }
    check_len(report, prompt_line, "prompt", &q.prompt, PROMPT_MAX);
    check_len(
        report,
        answer_line,
        "model_answer",
        &q.model_answer,
        MODEL_ANSWER_MAX,
    );
    if q.model_answer.trim().is_empty() {
        report.at(
            answer_line,
            "empty model_answer: write the answer shown after the question",
        );
    }
}

/// Enough key points, each with a text and keywords that can match.
fn check_key_points(report: &mut FileReport<'_>, q: &RawQuestion, kp_base: usize, end: usize) {
    let index = report.lines;
    if q.key_points.len() < MIN_KEY_POINTS {
        report.at(
            kp_base,
            format!(
                "{} key point(s): a question needs at least {MIN_KEY_POINTS}, each with keywords",
                q.key_points.len()
            ),
        );
    }
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
            if !grading::is_matchable(k) {
                report.at(line, format!("keyword `{k}` of key point {} has no letters or digits, so it can never match", i + 1));
            }
        }
    }
}

/// A checked question as the bank holds it (its rubric is compiled later).
fn into_question(q: RawQuestion, topic: &Topic) -> Question {
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
        rubric: Rubric::default(),
    }
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
