//! The survey of what Python backend interviews commonly ask
//! (question-bank/survey/*.md) maps each question to the bank questions
//! that cover it. This keeps the mapping true as the bank changes.

mod common;

use std::collections::BTreeSet;

struct Row {
    file: String,
    number: String,
    covered_by: Vec<String>,
}

/// Rows of the `| # | What interviewers ask | Covered by |` table.
fn survey_rows() -> Vec<Row> {
    let dir = common::repo_path("question-bank/survey");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let mut rows = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("survey file");
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        for line in text.lines() {
            let cells: Vec<&str> = line
                .trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            if cells.len() != 3 || cells[0].parse::<u32>().is_err() {
                continue;
            }
            let covered_by = cells[2]
                .split(',')
                .map(|id| id.trim().trim_matches('`').to_string())
                .filter(|id| !id.is_empty() && id != "none")
                .collect();
            rows.push(Row {
                file: name.clone(),
                number: cells[0].to_string(),
                covered_by,
            });
        }
    }
    rows
}

#[test]
fn the_survey_lists_at_least_120_interview_questions() {
    let rows = survey_rows();
    assert!(rows.len() >= 120, "the survey has {} questions", rows.len());
}

#[test]
fn every_id_the_survey_names_is_a_bank_question() {
    let bank = common::shipped_bank();
    let ids: BTreeSet<&str> = bank.questions.iter().map(|q| q.id.as_str()).collect();
    let unknown: Vec<String> = survey_rows()
        .iter()
        .flat_map(|r| {
            r.covered_by
                .iter()
                .filter(|id| !ids.contains(id.as_str()))
                .map(move |id| format!("{} row {}: `{id}`", r.file, r.number))
        })
        .collect();
    assert!(
        unknown.is_empty(),
        "survey names questions the bank lacks: {unknown:#?}"
    );
}

#[test]
fn the_bank_covers_at_least_95_percent_of_the_survey() {
    let rows = survey_rows();
    let covered = rows.iter().filter(|r| !r.covered_by.is_empty()).count();
    let gaps: Vec<String> = rows
        .iter()
        .filter(|r| r.covered_by.is_empty())
        .map(|r| format!("{} row {}", r.file, r.number))
        .collect();
    assert!(
        covered * 100 >= rows.len() * 95,
        "{covered} of {} covered; gaps: {gaps:?}",
        rows.len()
    );
}
