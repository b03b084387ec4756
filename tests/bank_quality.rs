//! The shipped bank covers every seed topic well enough to interview with.

mod common;

use interview_bot::bank::{Bank, Difficulty, Question};
use interview_bot::interview::scoring;
use std::collections::BTreeMap;

fn coverage(answer: &str, q: &Question) -> u32 {
    scoring::coverage_percent(&q.rubric.grade(answer).covered())
}

#[test]
fn every_subtopic_of_the_seed_map_has_at_least_two_questions_at_every_difficulty() {
    let bank = common::shipped_bank();
    let seed = std::fs::read_to_string(common::repo_path("question-bank/topics.yaml"))
        .expect("topics.yaml");
    let stats = bank.stats();
    let empty: Vec<String> = stats
        .subtopics
        .iter()
        .flat_map(|r| {
            Difficulty::ALL
                .iter()
                .filter(|d| match d {
                    Difficulty::Easy => r.easy < 2,
                    Difficulty::Medium => r.medium < 2,
                    Difficulty::Hard => r.hard < 2,
                })
                .map(move |d| format!("{}/{} {d}", r.topic, r.subtopic))
        })
        .collect();
    assert!(
        empty.is_empty(),
        "cells with fewer than 2 questions: {empty:?}"
    );
    assert!(
        bank.questions.len() >= 600,
        "{} questions",
        bank.questions.len()
    );
    assert_eq!(bank.topics.len(), 16, "the seed map has 16 topics");
    assert_eq!(stats.subtopics.len(), 75, "the seed map has 75 subtopics");
    assert!(seed.contains("model-serving"));
}

/// The seed topic map (the user's own list of what interviews ask), kept
/// in the repository so this comparison runs, and can fail, everywhere.
fn seed_map() -> BTreeMap<String, Vec<String>> {
    #[derive(serde::Deserialize)]
    struct Map {
        topics: BTreeMap<String, SeedTopic>,
    }
    #[derive(serde::Deserialize)]
    struct SeedTopic {
        subtopics: BTreeMap<String, String>,
    }
    let text = std::fs::read_to_string(common::repo_path("tests/fixtures/seed-topics.yaml"))
        .expect("tests/fixtures/seed-topics.yaml");
    let map: Map = serde_yaml::from_str(&text).expect("the seed map parses");
    map.topics
        .into_iter()
        .map(|(slug, t)| (slug, t.subtopics.into_keys().collect()))
        .collect()
}

#[test]
fn the_shipped_topics_are_exactly_the_seed_topic_map() {
    let bank = common::shipped_bank();
    let shipped: BTreeMap<String, Vec<String>> = bank
        .topics
        .values()
        .map(|t| {
            let mut subs: Vec<String> = t.subtopics.iter().map(|(s, _)| s.clone()).collect();
            subs.sort();
            (t.slug.clone(), subs)
        })
        .collect();
    assert_eq!(shipped, seed_map());
}

#[test]
fn the_bank_is_large_enough_and_no_topic_is_thin() {
    let bank = common::shipped_bank();
    assert!(
        bank.questions.len() >= 300,
        "only {} questions",
        bank.questions.len()
    );
    let mut per_topic: BTreeMap<&str, usize> = BTreeMap::new();
    for q in &bank.questions {
        *per_topic.entry(q.topic.as_str()).or_default() += 1;
    }
    for t in bank.topics.keys() {
        let n = per_topic.get(t.as_str()).copied().unwrap_or(0);
        assert!(n >= 12, "topic {t} has only {n} questions");
    }
}

#[test]
fn every_question_has_the_parts_an_interviewer_needs() {
    let bank = common::shipped_bank();
    let mut missing = Vec::new();
    for q in &bank.questions {
        if q.key_points.len() < 3 {
            missing.push(format!("{}: {} key points", q.id, q.key_points.len()));
        }
        if q.hints.is_empty() {
            missing.push(format!("{}: no hint", q.id));
        }
        if q.follow_ups.is_empty() {
            missing.push(format!("{}: no follow-up", q.id));
        }
        if q.model_answer.chars().count() < 100 {
            missing.push(format!("{}: model answer too short", q.id));
        }
        if q.tags.is_empty() {
            missing.push(format!("{}: no tags", q.id));
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

#[test]
fn a_model_answer_covers_at_least_two_thirds_of_its_own_key_points() {
    let bank = common::shipped_bank();
    let weak: Vec<String> = bank
        .questions
        .iter()
        .filter_map(|q| {
            let c = coverage(&q.model_answer, q);
            (c < 67).then(|| format!("{}: {c}%", q.id))
        })
        .collect();
    assert!(
        weak.is_empty(),
        "model answers that miss their own key points: {weak:#?}"
    );
}

/// Each question is paired with one from the topic half-way round the
/// (sorted) topic list, at the same index modulo that topic's size.
fn unrelated<'a>(bank: &'a Bank, q: &Question) -> &'a Question {
    let topics: Vec<&String> = bank.topics.keys().collect();
    let t = topics
        .iter()
        .position(|t| **t == q.topic)
        .expect("known topic");
    let other = topics[(t + topics.len() / 2) % topics.len()];
    let own: Vec<&Question> = bank
        .questions
        .iter()
        .filter(|x| x.topic == q.topic)
        .collect();
    let theirs: Vec<&Question> = bank
        .questions
        .iter()
        .filter(|x| &x.topic == other)
        .collect();
    let i = own.iter().position(|x| x.id == q.id).expect("own question");
    theirs[i % theirs.len()]
}

#[test]
fn an_unrelated_answer_covers_fewer_key_points_than_the_right_one() {
    let bank = common::shipped_bank();
    let mut generic = Vec::new();
    for q in &bank.questions {
        let other = unrelated(bank, q);
        let (own, theirs) = (
            coverage(&q.model_answer, q),
            coverage(&other.model_answer, q),
        );
        if theirs >= own {
            generic.push(format!(
                "{}: its own answer {own}%, {}'s answer {theirs}%",
                q.id, other.id
            ));
        }
    }
    assert!(
        generic.is_empty(),
        "keywords that match unrelated answers: {generic:#?}"
    );
}

#[test]
fn on_average_unrelated_answers_match_little() {
    // A bank-wide guard against keywords that match anything: an answer to a
    // question from another topic should cover well under a third on average.
    let bank = common::shipped_bank();
    let total: u32 = bank
        .questions
        .iter()
        .map(|q| coverage(&unrelated(bank, q).model_answer, q))
        .sum();
    let mean = f64::from(total) / bank.questions.len() as f64;
    assert!(
        mean < 20.0,
        "unrelated answers cover {mean:.1}% of key points on average"
    );
}
