//! Unit checks of the Discord layer's pure parts, through its public API:
//! the custom-id codec, Discord's text limits, the renderer, and the
//! command list.

use interview_bot::bank::{Bank, Difficulty, KeyPoint, Question, Topic};
use interview_bot::discord::{commands, BotError, Data};
use interview_bot::interview::*;
use interview_bot::present::action::{Ctl, Target};
use interview_bot::present::text::{
    self, bullets, relative, spoiler, truncate, DESCRIPTION, FIELD,
};
use interview_bot::present::{delivery, pack, Card, View, BLUE};
use interview_bot::runtime::lobby::Press as LobbyPress;
use interview_bot::store::StoredSession;
use interview_bot::time::Timestamp;

#[test]
fn every_target_round_trips_within_the_length_limit() {
    let mut all: Vec<Target> = [
        Ctl::Answer,
        Ctl::AnswerModal,
        Ctl::Submit,
        Ctl::Hint(3),
        Ctl::Skip,
        Ctl::End,
        Ctl::Rate(5),
        Ctl::Note,
        Ctl::NoteModal,
        Ctl::View,
        Ctl::Score,
        Ctl::ScoreModal,
        Ctl::FollowUp(4),
    ]
    .into_iter()
    .map(|c| Target::session(i64::MAX, usize::MAX, c))
    .collect();
    all.extend(
        [
            LobbyPress::JoinCandidate,
            LobbyPress::JoinInterviewer,
            LobbyPress::Leave,
            LobbyPress::Start,
            LobbyPress::Cancel,
        ]
        .into_iter()
        .map(|p| Target::Lobby(i64::MAX, p)),
    );
    all.push(Target::PrivacyDelete { owner: u64::MAX });
    for t in all {
        let s = t.encode();
        assert!(s.len() <= 100, "{s}");
        assert_eq!(Target::decode(&s), Some(t), "{s}");
    }
}

#[test]
fn ids_of_earlier_versions_still_decode() {
    assert_eq!(
        Target::decode("iv:7:2:skip:42"),
        Some(Target::session(7, 2, Ctl::Skip))
    );
    assert_eq!(
        Target::decode("pn:7:2:fu1"),
        Some(Target::session(7, 2, Ctl::FollowUp(1)))
    );
}

#[test]
fn foreign_or_damaged_ids_decode_to_nothing() {
    for s in [
        "",
        "iv",
        "iv:1:2:r9",
        "iv:x:2:skip",
        "iv:1:2:h",
        "iv:1:2:fux",
        "other:1:2:skip",
        "iv:1:2:skip:3:4",
        "pl:1:nope",
        "pl:x:cand",
        "pl:1:cand:2",
        "privacy:delete:x",
    ] {
        assert_eq!(Target::decode(s), None, "{s}");
    }
}

#[test]
fn truncation_counts_characters_and_never_splits_one() {
    let s = "é".repeat(5000);
    let t = truncate(&s, DESCRIPTION);
    assert_eq!(t.chars().count(), DESCRIPTION);
    assert!(t.ends_with('…'));
    assert_eq!(truncate("short", 10), "short");
}

#[test]
fn a_spoiler_stays_closed_and_within_the_limit() {
    let s = spoiler(&"a||b".repeat(600), FIELD);
    assert!(s.chars().count() <= FIELD);
    assert!(s.starts_with("||") && s.ends_with("||"));
    assert_eq!(s.matches("||").count(), 2);
}

#[test]
fn bullets_fit_and_say_what_was_left_out() {
    let items: Vec<String> = (0..100).map(|i| format!("point number {i}")).collect();
    let b = bullets(&items, "✓", FIELD);
    assert!(b.chars().count() <= FIELD);
    assert!(b.contains("more"));
}

#[test]
fn timestamps_are_in_seconds() {
    assert_eq!(relative(Timestamp(1_700_000_000_999)), "<t:1700000000:R>");
}

fn walk(c: &poise::Command<Data, BotError>, path: &str, out: &mut Vec<(String, String)>) {
    let name = format!("{path}{}", c.name);
    out.push((
        name.clone(),
        c.description.clone().unwrap_or_default().to_string(),
    ));
    for s in &c.subcommands {
        walk(s, &format!("{name} "), out);
    }
}

#[test]
fn the_command_names_are_the_issues_and_each_has_a_description() {
    let mut all = Vec::new();
    for c in commands() {
        walk(&c, "", &mut all);
    }
    let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
    for expected in [
        "interview start",
        "interview end",
        "interview status",
        "panel create",
        "leaderboard",
        "stats",
        "notes",
        "note add",
        "note resolve",
        "topics",
        "question",
        "privacy hide",
        "privacy show",
        "privacy delete",
        "bank reload",
        "config",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    for (name, description) in &all {
        assert!(
            !description.is_empty() && description.chars().count() <= 100,
            "/{name}: {description:?}"
        );
    }
}

#[test]
fn long_cards_are_split_across_messages_within_the_limits() {
    let big = Card::new("t", &"x".repeat(5000), BLUE);
    let posts = pack(vec![big.clone(), big.clone(), big], Vec::new());
    assert_eq!(posts.len(), 3);
    for p in &posts {
        let total: usize = p.cards.iter().map(Card::chars).sum();
        assert!(total <= text::MESSAGE_EMBEDS);
    }
    let small: Vec<Card> = (0..12).map(|_| Card::new("a", "b", BLUE)).collect();
    let posts = pack(small, Vec::new());
    assert_eq!(
        posts.iter().map(|p| p.cards.len()).collect::<Vec<_>>(),
        [10, 2]
    );
}

#[test]
fn fields_are_cut_to_the_field_limit() {
    let c = Card::new("t", "d", BLUE).field("n", &"é".repeat(3000));
    assert!(c.fields[0].1.chars().count() <= FIELD);
    let c = Card::new("t", "d", BLUE).field("n", "  ");
    assert!(c.fields.is_empty());
}

fn huge_bank() -> Bank {
    let long = |n: usize| "word @everyone ".repeat(n);
    let q = Question {
        id: "big".into(),
        topic: "t".into(),
        difficulty: Difficulty::Hard,
        tags: Vec::new(),
        prompt: long(800),
        key_points: (0..40)
            .map(|i| KeyPoint {
                point: format!("{i} {}", long(30)),
                keywords: vec!["word".into()],
            })
            .collect(),
        model_answer: long(900),
        hints: vec![long(100); 3],
        follow_ups: vec![long(60); 6],
        time_limit_minutes: None,
        rubric: Default::default(),
    };
    let topic = Topic {
        slug: "t".into(),
        title: long(40),
        description: String::new(),
        subtopics: Vec::new(),
    };
    Bank::from_parts([("t".to_string(), topic)].into_iter().collect(), vec![q])
}

fn session_on(bank: &Bank, kind: SessionKind, hints_used: u32) -> StoredSession {
    let user = UserId(1);
    let participants = vec![Participant {
        user,
        name: "word @everyone ".repeat(20),
        role: Role::Candidate,
        left: false,
    }];
    let plan = vec![
        PlannedQuestion {
            question_id: "big".into(),
            candidate: user,
        },
        PlannedQuestion {
            question_id: "big".into(),
            candidate: user,
        },
    ];
    let (mut state, _) = SessionState::start(
        bank,
        kind,
        user,
        participants,
        plan,
        Settings::default(),
        Timestamp(1_000_000),
    )
    .expect("starts");
    state.results[0].hints_used = hints_used;
    StoredSession {
        id: 7,
        version: 0,
        guild_id: None,
        channel_id: None,
        thread_id: None,
        state,
    }
}

fn assert_within_limits(posts: &[interview_bot::present::Post]) {
    assert!(!posts.is_empty());
    for p in posts {
        assert!(p.cards.len() <= 10);
        let total: usize = p.cards.iter().map(Card::chars).sum();
        assert!(total <= text::MESSAGE_EMBEDS, "{total}");
        for c in &p.cards {
            assert!(c.title.chars().count() <= text::TITLE);
            assert!(c.description.chars().count() <= DESCRIPTION);
            assert!(c.fields.len() <= 25);
            for (n, v) in &c.fields {
                assert!(n.chars().count() <= text::TITLE);
                assert!(v.chars().count() <= FIELD, "{n}: {}", v.chars().count());
            }
        }
    }
}

#[test]
fn the_longest_bank_texts_stay_within_every_discord_limit_solo_and_panel() {
    let bank = huge_bank();
    let q = bank.question("big").expect("question");
    let feedback = Effect::Feedback(Feedback {
        position: 0,
        question_id: "big".into(),
        candidate: UserId(1),
        outcome: Outcome::Answered,
        coverage: 50,
        covered: q.key_points[..20]
            .iter()
            .map(|k| CoveredPoint {
                point: k.point.clone(),
                heard: "word @everyone word".into(),
            })
            .collect(),
        missed: q.key_points[20..].iter().map(|k| k.point.clone()).collect(),
        model_answer: q.model_answer.clone(),
        follow_ups: q.follow_ups.clone(),
        rate_until: Some(Timestamp(1_000_000)),
    });
    let ask = Effect::Ask {
        position: 0,
        number: 1,
        total: 2,
        question_id: "big".into(),
        candidate: UserId(1),
        deadline: Timestamp(2_000_000),
    };
    for kind in [SessionKind::Solo, SessionKind::Panel] {
        let session = session_on(&bank, kind, 3);
        let view = View {
            bank: &bank,
            session: &session,
            message_content: true,
        };
        let posts = delivery(&view, &[feedback.clone(), ask.clone()]);
        assert_within_limits(&posts);
        // The question's buttons sit under the last message: a solo
        // question has a Submit row when typed answers are on; a panel's
        // second row is the interviewers'.
        assert_eq!(
            posts.last().expect("a post").components.len(),
            2,
            "{kind:?}"
        );
    }
}
