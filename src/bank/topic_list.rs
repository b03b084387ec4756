//! A `topics:` mapping (slug to `{title, description, subtopics}`), as
//! `topics.yaml` holds it and as a server's pack may carry it: one reader
//! for both, so a pack's topics follow exactly the shipped bank's rules.

use super::limits::*;
use super::model::Topic;
use super::report::FileReport;
use super::yaml;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    title: String,
    #[serde(default)]
    description: String,
    subtopics: yaml::Value,
}

/// What `topics:` must look like, for messages about a broken one.
pub const TOPICS_SHAPE: &str =
    "`topics:` must be a mapping from topic slug to {title, description, subtopics}";

/// The topics of a parsed `topics:` value; every problem goes to `report`
/// at the topic's line. A topic with a broken entry is left out.
pub fn read(report: &mut FileReport<'_>, value: yaml::Value) -> BTreeMap<String, Topic> {
    let mut topics = BTreeMap::new();
    let yaml::Value::Mapping(map) = value else {
        let line = report.lines.find_key("topics", 1, usize::MAX).unwrap_or(1);
        report.at(line, TOPICS_SHAPE);
        return topics;
    };
    for (k, v) in map {
        let slug = k.as_str().unwrap_or_default().to_string();
        let line = report.lines.find_key(&slug, 1, usize::MAX).unwrap_or(1);
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
        let subtopics = subtopics(report, &slug, line, raw.subtopics);
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

fn subtopics(
    report: &mut FileReport<'_>,
    slug: &str,
    line: usize,
    value: yaml::Value,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match value {
        yaml::Value::Mapping(subs) if !subs.is_empty() => {
            for (sk, sv) in subs {
                let sub = sk.as_str().unwrap_or_default().to_string();
                if !is_slug(&sub) {
                    let l = report.lines.find_key(&sub, line, usize::MAX).unwrap_or(line);
                    report.at(l, format!("subtopic slug `{sub}` of `{slug}` must be lowercase letters, digits and hyphens"));
                }
                out.push((sub, sv.as_str().unwrap_or_default().to_string()));
            }
        }
        _ => report.at(
            line,
            format!("topic `{slug}`: `subtopics:` must map at least one subtopic slug to its description"),
        ),
    }
    out
}
