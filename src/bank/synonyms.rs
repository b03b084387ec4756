//! `synonyms.yaml`: phrases that mean the same to the grader, shared by the
//! whole bank and applied to keywords and answers alike.
//!
//! ```yaml
//! groups:
//!   - [once, one time, a single time]
//!   - [definition time, when the def runs]
//! ```

use super::lines::Lines;
use super::problem::Problem;
use super::report::FileReport;
use super::yaml;
use crate::grading::Lexicon;
use serde::Deserialize;
use std::path::Path;

pub const SYNONYMS_FILE: &str = "synonyms.yaml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSynonyms {
    groups: Vec<Vec<String>>,
}

/// The bank's synonym table; an empty one when the bank has no file.
pub fn load(dir: &Path, problems: &mut Vec<Problem>) -> Lexicon {
    let path = dir.join(SYNONYMS_FILE);
    let Ok(text) = std::fs::read_to_string(&path) else {
        if path.exists() {
            problems.push(Problem {
                file: path,
                line: 1,
                message: "cannot read the file".into(),
            });
        }
        return Lexicon::default();
    };
    let lines = Lines::new(&text);
    let mut report = FileReport {
        path,
        text: &text,
        lines: &lines,
        problems,
    };
    let raw: RawSynonyms = match yaml::parse(&text) {
        Ok(r) => r,
        Err(e) => {
            report.at(
                e.line,
                format!(
                    "{}: the file must be `groups:` followed by a list of phrase lists",
                    e.message
                ),
            );
            return Lexicon::default();
        }
    };
    let spans = lines.sequence_items("groups");
    match Lexicon::new(&raw.groups) {
        Ok(lexicon) => lexicon,
        Err(group_problems) => {
            for p in group_problems {
                let line = spans.get(p.group).map(|s| s.0).unwrap_or(1);
                report.at(
                    line,
                    format!("synonym group {}: {}", p.group + 1, p.message),
                );
            }
            Lexicon::default()
        }
    }
}
