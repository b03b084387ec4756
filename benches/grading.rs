//! Grading quality and speed on the labelled answers in
//! tests/fixtures/grading/ and tests/fixtures/grading-holdout/: precision, recall and F1 of key-point credit per
//! kind of answer, false credit on wrong answers, the rank correlation of
//! coverage with the labelled grade, and the time to grade one answer.
//! With GRADING_MISTAKES set it lists every key point decided otherwise
//! than its label.

use interview_bot::bank;
use interview_bot::evaluation::{self, Kind};
use std::path::Path;
use std::time::Instant;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let started = Instant::now();
    let bank = bank::load(&root.join("question-bank")).expect("the shipped bank loads");
    println!("bank loaded with its synonyms in {:?}", started.elapsed());
    let answers = evaluation::load_dir(&root.join("tests/fixtures/grading")).expect("labelled set");
    let holdout =
        evaluation::load_dir(&root.join("tests/fixtures/grading-holdout")).expect("held-out set");
    for (name, set) in [
        (
            "labelled set (the bank's keywords were reviewed against it)",
            &answers,
        ),
        ("held-out set (never used to choose keywords)", &holdout),
    ] {
        let report = evaluation::evaluate(&bank, set).expect("labels fit the bank");
        if std::env::var_os("GRADING_MISTAKES").is_some() {
            for m in &report.mistakes {
                let what = if m.false_credit {
                    "false credit"
                } else {
                    "missed"
                };
                println!(
                    "  {what}: {} point {} ({}) heard {:?}",
                    m.question,
                    m.point,
                    m.kind.name(),
                    m.heard
                );
            }
        }
        println!("\n{name}");
        print!("{report}");
        let kind = |k| report.by_kind.get(&k).copied().unwrap_or_default();
        println!(
            "overall F1 {:.3} (target >= 0.93); paraphrased recall {:.3} (target >= 0.90); \
             false credit on wrong answers {:.3} (target <= 0.05); Spearman {:.3} (target >= 0.90)",
            report.overall.f1(),
            kind(Kind::Paraphrased).recall(),
            kind(Kind::Wrong).false_credit(),
            report.spearman
        );
    }

    // Speed: every labelled answer graded against its question, many times.
    let pairs: Vec<_> = answers
        .iter()
        .filter_map(|a| bank.question(&a.question).map(|q| (q, a.text.as_str())))
        .collect();
    let rounds = 50;
    let mut per_answer = Vec::with_capacity(pairs.len() * rounds);
    for _ in 0..rounds {
        for (q, text) in &pairs {
            let t = Instant::now();
            std::hint::black_box(q.rubric.grade(text));
            per_answer.push(t.elapsed());
        }
    }
    per_answer.sort();
    let at = |p: f64| per_answer[((per_answer.len() - 1) as f64 * p) as usize];
    println!(
        "grading one answer: p50 {:?}, p99 {:?}, max {:?} (target < 1 ms)",
        at(0.5),
        at(0.99),
        per_answer[per_answer.len() - 1]
    );
}
