//! `interview-bot grade`: the verdict on one answer, for checking an answer
//! or a new bank question's keywords.

use crate::bank::{Bank, Question};
use crate::cli::GradeArgs;
use crate::grading::Verdict;
use crate::interview::scoring;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Read;
use std::process::ExitCode;

#[derive(Serialize)]
struct JsonVerdict<'a> {
    question: &'a str,
    key_points: Vec<JsonPoint<'a>>,
    coverage: u32,
    score: u32,
}

#[derive(Serialize)]
struct JsonPoint<'a> {
    point: &'a str,
    covered: bool,
    matched: Option<&'a str>,
}

pub fn run(args: &GradeArgs, bank: &Bank) -> anyhow::Result<ExitCode> {
    let Some(question) = bank.question(&args.question) else {
        anyhow::bail!(
            "no question `{}` in the bank: ids are listed in the bank's files (`interview-bot bank stats` counts them)",
            args.question
        );
    };
    let mut answer = String::new();
    std::io::stdin().read_to_string(&mut answer)?;
    let verdict = question.rubric.grade(&answer);
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json(question, &verdict))?
        );
    } else {
        print!("{}", text(question, &verdict));
    }
    Ok(ExitCode::SUCCESS)
}

/// The score a solo answer gets without a self rating or hints.
fn score(verdict: &Verdict) -> (u32, u32) {
    let coverage = scoring::coverage_percent(&verdict.covered());
    (coverage, scoring::solo_score(coverage, None, 0, 0))
}

fn json<'a>(q: &'a Question, v: &'a Verdict) -> JsonVerdict<'a> {
    let (coverage, score) = score(v);
    JsonVerdict {
        question: &q.id,
        key_points: q
            .key_points
            .iter()
            .zip(&v.points)
            .map(|(k, c)| JsonPoint {
                point: &k.point,
                covered: c.covered,
                matched: c.heard.as_deref(),
            })
            .collect(),
        coverage,
        score,
    }
}

fn text(q: &Question, v: &Verdict) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", q.id);
    for (k, c) in q.key_points.iter().zip(&v.points) {
        match &c.heard {
            Some(h) if c.covered => {
                let _ = writeln!(out, "  ✓ {} (heard: “{h}”)", k.point);
            }
            _ => {
                let _ = writeln!(out, "  ✗ {}", k.point);
            }
        }
    }
    let (coverage, score) = score(v);
    let covered = v.points.iter().filter(|c| c.covered).count();
    let _ = writeln!(
        out,
        "Coverage: {covered}/{} key points ({coverage}%); score without a self rating: {score}/100",
        v.points.len()
    );
    out
}
