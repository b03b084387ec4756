//! Every bank validation rule, each from a broken fixture, asserting the file,
//! the line and what the message tells the writer to fix.

use interview_bot::bank::{self, Problem};
use std::path::Path;

const TOPICS: &str =
    "topics:\n  alpha:\n    title: Alpha\n    subtopics:\n      one: One\n      two: Two\n";

const GOOD: &str = "  - id: alpha-good
    difficulty: easy
    tags: [one]
    prompt: Why?
    key_points:
      - point: A
        keywords: [apple]
      - point: B
        keywords: [banana]
    model_answer: Apple and banana.
    hints: [h]
    follow_ups: [f]
";

/// Loads a bank made of `topics.yaml` (TOPICS unless given) and `files`.
fn problems(files: &[(&str, &str)]) -> Vec<Problem> {
    let dir = tempfile::tempdir().expect("tempdir");
    if !files.iter().any(|(n, _)| *n == "topics.yaml") {
        std::fs::write(dir.path().join("topics.yaml"), TOPICS).expect("write");
    }
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    match bank::load(dir.path()) {
        Ok(_) => Vec::new(),
        Err(e) => e.0,
    }
}

/// Asserts exactly one problem, in `file` at `line`, whose message contains `needle`.
fn assert_one(files: &[(&str, &str)], file: &str, line: usize, needle: &str) {
    let found = problems(files);
    assert_eq!(found.len(), 1, "expected one problem, got {found:#?}");
    let p = &found[0];
    assert_eq!(
        Path::new(p.file.file_name().expect("file name")),
        Path::new(file),
        "{p}"
    );
    assert_eq!(p.line, line, "{p}");
    assert!(
        p.message.contains(needle),
        "message {:?} lacks {needle:?}",
        p.message
    );
}

fn with_good(extra: &str) -> String {
    format!("questions:\n{GOOD}{extra}")
}

#[test]
fn a_valid_bank_loads() {
    assert!(problems(&[("alpha.yaml", &with_good(""))]).is_empty());
}

#[test]
fn yaml_syntax_errors_give_the_line() {
    let text = with_good("  - id: [unclosed\n    difficulty: easy\n");
    let found = problems(&[("alpha.yaml", &text)]);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].line >= 13, "{}", found[0]);
    assert!(found[0].message.contains("fix the YAML"), "{}", found[0]);
}

#[test]
fn an_unknown_field_is_named_with_its_line() {
    let text =
        with_good("  - id: alpha-x\n    difficulty: easy\n    tags: [one]\n    promt: typo\n");
    assert_one(
        &[("alpha.yaml", &text)],
        "alpha.yaml",
        17,
        "unknown field `promt`, expected one of",
    );
    assert!(!problems(&[("alpha.yaml", &text)])[0]
        .message
        .starts_with(':'));
}

#[test]
fn a_duplicate_id_points_at_the_first_use() {
    let text = format!("questions:\n{GOOD}{}", GOOD);
    assert_one(
        &[("alpha.yaml", &text)],
        "alpha.yaml",
        14,
        "duplicate id `alpha-good` (first used at",
    );
}

#[test]
fn a_file_for_an_unknown_topic_is_rejected() {
    assert_one(
        &[("gamma.yaml", &with_good(""))],
        "gamma.yaml",
        1,
        "unknown topic `gamma`: add `gamma` to topics.yaml",
    );
}

#[test]
fn an_unknown_tag_lists_the_valid_ones() {
    let text = with_good("").replace("tags: [one]", "tags: [three]");
    assert_one(
        &[("alpha.yaml", &text)],
        "alpha.yaml",
        4,
        "unknown tag `three` for topic `alpha`: use one of one, two",
    );
}

#[test]
fn a_bad_difficulty_says_which_are_allowed() {
    let text = with_good("").replace("difficulty: easy", "difficulty: expert");
    assert_one(
        &[("alpha.yaml", &text)],
        "alpha.yaml",
        3,
        "expected one of `easy`, `medium`, `hard`",
    );
}

#[test]
fn an_empty_prompt_is_rejected() {
    let text = with_good("").replace("prompt: Why?", "prompt: \"  \"");
    assert_one(&[("alpha.yaml", &text)], "alpha.yaml", 5, "empty prompt");
}

#[test]
fn fewer_than_two_key_points_are_rejected() {
    let text = with_good("").replace("      - point: B\n        keywords: [banana]\n", "");
    assert_one(
        &[("alpha.yaml", &text)],
        "alpha.yaml",
        6,
        "1 key point(s): a question needs at least 2",
    );
}

#[test]
fn a_key_point_without_keywords_is_rejected() {
    let text = with_good("").replace("keywords: [banana]", "keywords: []");
    assert_one(
        &[("alpha.yaml", &text)],
        "alpha.yaml",
        9,
        "key point 2 has no keywords",
    );
}

#[test]
fn a_keyword_of_punctuation_only_can_never_match() {
    let text = with_good("").replace("keywords: [banana]", "keywords: [\"**\"]");
    assert_one(
        &[("alpha.yaml", &text)],
        "alpha.yaml",
        9,
        "has no letters or digits",
    );
}

#[test]
fn texts_longer_than_discord_shows_are_rejected() {
    let long_prompt =
        with_good("").replace("prompt: Why?", &format!("prompt: {}", "x".repeat(1501)));
    assert_one(
        &[("alpha.yaml", &long_prompt)],
        "alpha.yaml",
        5,
        "prompt is 1501 characters; Discord shows at most 1500",
    );
    let long_answer = with_good("").replace(
        "model_answer: Apple and banana.",
        &format!("model_answer: {}", "y".repeat(1001)),
    );
    assert_one(
        &[("alpha.yaml", &long_answer)],
        "alpha.yaml",
        11,
        "model_answer is 1001 characters",
    );
    let long_point = with_good("").replace("point: B", &format!("point: {}", "z".repeat(201)));
    assert_one(
        &[("alpha.yaml", &long_point)],
        "alpha.yaml",
        9,
        "key point 2 is 201 characters",
    );
}

#[test]
fn every_problem_is_reported_at_once_across_files() {
    let topics = format!("{TOPICS}  beta:\n    title: Beta\n    subtopics:\n      three: Three\n");
    let alpha = with_good("")
        .replace("tags: [one]", "tags: [nope]")
        .replace("difficulty: easy", "difficulty: easy\n    colour: red");
    let beta = "questions:\n  - id: Beta Bad\n    difficulty: hard\n    tags: [three]\n    prompt: p\n    key_points: []\n    model_answer: m\n";
    let found = problems(&[
        ("topics.yaml", &topics),
        ("alpha.yaml", &alpha),
        ("beta.yaml", beta),
    ]);
    let text: Vec<String> = found.iter().map(|p| p.to_string()).collect();
    assert!(
        text.iter()
            .any(|t| t.contains("alpha.yaml:4: unknown field `colour`")),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|t| t.contains("beta.yaml:2: id `Beta Bad` must be a slug")),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|t| t.contains("beta.yaml:6: 0 key point(s)")),
        "{text:#?}"
    );
}

#[test]
fn a_broken_topics_file_is_reported_with_its_line() {
    let found = problems(&[
        ("topics.yaml", "topics:\n  alpha:\n    title: [oops\n"),
        ("alpha.yaml", &with_good("")),
    ]);
    assert!(
        found
            .iter()
            .any(|p| p.file.ends_with("topics.yaml") && p.line >= 3),
        "{found:#?}"
    );
}

#[test]
fn every_shape_error_of_a_file_is_reported_in_one_run() {
    let second = GOOD.replace("alpha-good", "alpha-second");
    let third = GOOD.replace("alpha-good", "alpha-third");
    let text = format!(
        "questions:\n{}{}{}",
        GOOD.replace("difficulty: easy", "difficulty: eazy\n    colour: red"),
        second.replace("hints: [h]", "hints: [h]\n    extra: 1"),
        third.replace("tags: [one]", "tags: [nope]")
    );
    let found: Vec<String> = problems(&[("alpha.yaml", &text)])
        .iter()
        .map(|p| p.to_string())
        .collect();
    assert_eq!(found.len(), 4, "{found:#?}");
    for needle in [
        "alpha.yaml:3: bad difficulty: unknown variant `eazy`",
        "alpha.yaml:4: unknown field `colour`",
        "alpha.yaml:26: unknown field `extra`",
        "alpha.yaml:30: unknown tag `nope`",
    ] {
        assert!(
            found.iter().any(|p| p.contains(needle)),
            "{needle}: {found:#?}"
        );
    }
}

#[test]
fn a_keyword_made_only_of_numbers_is_refused() {
    let text = with_good("").replace("keywords: [banana]", "keywords: ['404', 5 to 256]");
    let found = problems(&[("alpha.yaml", &text)]);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found
        .iter()
        .all(|p| p.line == 10 && p.message.contains("is only a number")));
}

#[test]
fn a_keyword_found_in_the_prompt_is_refused() {
    let text = with_good("").replace("prompt: Why?", "prompt: Why is the apple red?");
    assert_one(
        &[("alpha.yaml", &text)],
        "alpha.yaml",
        8,
        "keyword `apple` of key point 1 appears in the prompt",
    );
}

#[test]
fn a_common_word_or_stock_phrase_as_keyword_is_refused() {
    let text = with_good("").replace("keywords: [banana]", "keywords: [banana, explicitly]");
    assert_one(
        &[("alpha.yaml", &text)],
        "alpha.yaml",
        10,
        "keyword `explicitly` of key point 2 is a common word",
    );
    let text = with_good("").replace("keywords: [banana]", "keywords: [banana, for example]");
    assert_one(&[("alpha.yaml", &text)], "alpha.yaml", 10, "`for example`");
}

#[test]
fn a_keyword_that_many_other_model_answers_match_is_refused() {
    let others: String = (1..=11)
        .map(|k| {
            format!(
                "  - id: alpha-other-{k}\n    difficulty: easy\n    tags: [one]\n    prompt: Tell me.\n    key_points:\n      - point: A\n        keywords: [zebra{k}]\n      - point: B\n        keywords: [yak{k}]\n    model_answer: zebra{k}, yak{k} and banana bread.\n"
            )
        })
        .collect();
    assert_one(
        &[("alpha.yaml", &with_good(&others))],
        "alpha.yaml",
        10,
        "keyword `banana` of key point 2 matches the model answers of 11 other questions",
    );
}

#[test]
fn a_broken_synonym_table_is_reported_with_its_lines() {
    let synonyms = "groups:\n  - [once, one time]\n  - [alone]\n  - [one time, single]\n";
    let found = problems(&[("alpha.yaml", &with_good("")), ("synonyms.yaml", synonyms)]);
    let text: Vec<String> = found.iter().map(|p| p.to_string()).collect();
    assert_eq!(found.len(), 2, "{text:#?}");
    assert!(
        text[0]
            .contains("synonyms.yaml:3: synonym group 2: a synonym group needs at least 2 phrases"),
        "{text:#?}"
    );
    assert!(
        text[1].contains("synonyms.yaml:4: synonym group 3: `one time` is also in synonym group 1"),
        "{text:#?}"
    );
}

#[test]
fn synonyms_let_an_answer_in_other_words_earn_a_point() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("topics.yaml"), TOPICS).expect("write");
    std::fs::write(dir.path().join("alpha.yaml"), with_good("")).expect("write");
    std::fs::write(
        dir.path().join("synonyms.yaml"),
        "groups:\n  - [banana, yellow fruit]\n",
    )
    .expect("write");
    let bank = bank::load(dir.path()).expect("valid");
    let q = bank.question("alpha-good").expect("question");
    assert_eq!(q.rubric.grade("a yellow fruit").covered(), [false, true]);
}
