//! The grader against the labelled answers in tests/fixtures/grading/,
//! written from the prompts and key point texts without the keywords. The
//! floors sit under today's figures (README, Benchmarks), so a regression
//! fails here while a slow machine never does.

mod common;

use interview_bot::evaluation::{self, Kind};

#[test]
fn the_labelled_set_keeps_key_point_f1_and_precision_on_wrong_answers() {
    let bank = common::shipped_bank();
    let answers = evaluation::load_dir(&common::repo_path("tests/fixtures/grading"))
        .expect("the labelled set parses");
    let report = evaluation::evaluate(bank, &answers).expect("labels fit the bank");
    assert!(report.answers >= 150 && report.questions >= 40, "{report}");
    assert!(report.overall.f1() >= 0.88, "F1 fell below 0.88:\n{report}");
    let wrong = report.by_kind[&Kind::Wrong];
    assert!(
        wrong.false_credit() <= 0.18,
        "wrong answers earn too much:\n{report}"
    );
    assert!(
        report.spearman >= 0.6,
        "coverage no longer tracks grades:\n{report}"
    );
}

#[test]
fn the_held_out_set_keeps_key_point_f1() {
    let bank = common::shipped_bank();
    let answers = evaluation::load_dir(&common::repo_path("tests/fixtures/grading-holdout"))
        .expect("the held-out set parses");
    let report = evaluation::evaluate(bank, &answers).expect("labels fit the bank");
    assert!(
        report.overall.f1() >= 0.83,
        "held-out F1 fell below 0.83:\n{report}"
    );
}

#[test]
fn the_labelled_set_covers_every_topic_and_every_kind_of_answer() {
    let bank = common::shipped_bank();
    let answers = evaluation::load_dir(&common::repo_path("tests/fixtures/grading"))
        .expect("the labelled set parses");
    for topic in bank.topics.keys() {
        assert!(
            answers.iter().any(|a| bank
                .question(&a.question)
                .is_some_and(|q| &q.topic == topic)),
            "no labelled answer for {topic}"
        );
    }
    for kind in Kind::ALL {
        assert!(
            answers.iter().filter(|a| a.kind == kind).count() >= 30,
            "{kind:?}"
        );
    }
}
