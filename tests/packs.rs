//! Server question packs below the front ends: the bank's checks (one test
//! per bad input, each at its line), the per-server bank view, the store
//! and a restart, and a pack question asked and graded in an interview.

mod common;

use interview_bot::bank::{pack, Bank, DifficultyChoice, Problem, PACK_MAX_BYTES};
use interview_bot::interview::{Event, Participant, Role, SessionKind, Settings};
use interview_bot::runtime::{Runtime, StartRequest};
use interview_bot::store::Store;
use interview_bot::time::Clock;
use std::sync::Arc;

const GUILD: u64 = 111_222_333_444_555_666;
const OTHER: u64 = 999_888_777_666_555_444;

fn acme() -> String {
    std::fs::read_to_string(common::repo_path("tests/fixtures/packs/acme.yaml")).expect("fixture")
}

fn problems(text: &[u8]) -> Vec<Problem> {
    match pack::check(common::shipped_bank(), "acme.yaml", text, pack::Lint::Check) {
        Ok(_) => Vec::new(),
        Err(e) => e.0,
    }
}

/// Exactly one problem, in the attachment's name at `line`, saying `needle`.
fn assert_one(text: &[u8], line: usize, needle: &str) {
    let found = problems(text);
    assert_eq!(found.len(), 1, "expected one problem, got {found:#?}");
    assert_eq!(found[0].file.to_string_lossy(), "acme.yaml");
    assert_eq!(found[0].line, line, "{}", found[0]);
    assert!(
        found[0].message.contains(needle),
        "{} lacks {needle:?}",
        found[0]
    );
}

/// One question of the fixture's shape with `extra` lines after its id.
fn one_question(id: &str, extra: &str) -> String {
    format!(
        "questions:\n  - id: {id}\n    topic: core-python\n    difficulty: easy\n    tags: [mutability]\n{extra}    prompt: What does the zorblax flag do?\n    key_points:\n      - point: It freezes quux frames.\n        keywords: [freezes quux]\n      - point: It thaws them at exit.\n        keywords: [thaws at exit]\n    model_answer: It freezes quux frames and thaws at exit.\n"
    )
}

#[test]
fn a_good_pack_passes_the_shipped_rules_and_joins_only_its_servers_bank() {
    let shipped = common::shipped_bank();
    let p = pack::check(shipped, "acme.yaml", acme().as_bytes(), pack::Lint::Check)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.questions.len(), 3);
    assert_eq!(p.topics.keys().collect::<Vec<_>>(), ["acme-orm"]);
    let bank = shipped.with_pack(GUILD, &p);
    assert_eq!(bank.questions.len(), shipped.questions.len() + 3);
    let q = bank
        .question(&format!("{GUILD}:acme-orm-flush-order"))
        .expect("namespaced id");
    assert_eq!(q.topic, "acme-orm");
    assert!(
        bank.question("acme-orm-flush-order").is_none(),
        "never under a bare id"
    );
    assert_eq!(bank.topic_title("acme-orm"), "Acme ORM");
    // Graded by the same rubric matcher, with the bank's synonyms.
    let v = q
        .rubric
        .grade("The session autoflush writes rows; nothing lasts until commit.");
    assert_eq!(v.covered(), [true, true]);
    // A pack may use a shipped id: namespaced, it cannot shadow it.
    let shipped_id = &shipped.questions[0].id;
    let text = one_question(shipped_id, "");
    let p = pack::check(shipped, "a.yaml", text.as_bytes(), pack::Lint::Check).expect("valid");
    let bank = shipped.with_pack(GUILD, &p);
    assert_eq!(
        bank.question(shipped_id).map(|q| &q.prompt),
        Some(&shipped.questions[0].prompt)
    );
}

#[test]
fn not_yaml_is_refused_at_its_line() {
    assert_one(
        b"questions:\n  - id: a\n    prompt: [unclosed\n",
        4,
        "fix the YAML",
    );
}

#[test]
fn a_wrong_shape_is_refused_with_what_a_pack_is() {
    assert_one(
        b"questions: hello\n",
        1,
        "a pack is `questions:` followed by a list",
    );
    assert_one(b"- just\n- a list\n", 1, "a pack is `questions:`");
}

#[test]
fn an_unknown_field_is_refused_at_its_line() {
    let text = one_question("zorblax-flag", "    colour: red\n");
    assert_one(text.as_bytes(), 6, "unknown field `colour`");
    assert_one(b"questions: []\nauthor: me\n", 2, "unknown field `author`");
}

#[test]
fn a_duplicate_id_is_refused_at_the_second_use() {
    let one = one_question("zorblax-flag", "");
    let two = one.replacen("questions:\n", "", 1);
    let text = format!("{one}{two}");
    assert_one(
        text.as_bytes(),
        13,
        "duplicate id `zorblax-flag` (first used at acme.yaml:2)",
    );
}

#[test]
fn a_keyword_lint_failure_is_refused_at_the_keywords_line() {
    let text = one_question("zorblax-flag", "").replace("[freezes quux]", "[zorblax flag]");
    assert_one(text.as_bytes(), 9, "appears in the prompt");
    // Linted against the shipped model answers too: a generic keyword.
    let text = one_question("zorblax-flag", "").replace("[thaws at exit]", "[event loop]");
    assert_one(text.as_bytes(), 11, "other questions");
}

#[test]
fn a_file_over_the_cap_is_refused_before_it_is_read() {
    let big = format!("questions: []\n# {}\n", "x".repeat(PACK_MAX_BYTES));
    assert_one(big.as_bytes(), 1, "at most 256 KiB");
}

#[test]
fn too_many_questions_are_refused_at_the_questions_line() {
    let mut text = String::from("questions:\n");
    for i in 0..201 {
        text.push_str(&one_question(&format!("q-{i}"), "").replacen("questions:\n", "", 1));
    }
    let found = problems(text.as_bytes());
    assert!(
        found.iter().any(|p| p.line == 1
            && p.message.contains("201 questions")
            && p.message.contains("at most 200")),
        "{found:#?}"
    );
}

#[test]
fn a_file_that_is_not_text_is_refused() {
    assert_one(&[0x89, b'P', b'N', b'G', 0, 0, 0xff, 0xfe], 1, "not text");
    assert_one(b"questions: []\n\0\0", 1, "not text");
}

#[test]
fn a_pack_may_not_redefine_a_shipped_topic_nor_use_an_unknown_one() {
    let text = "topics:\n  async:\n    title: Mine\n    subtopics:\n      a: A\n";
    let found = problems(format!("{text}{}", one_question("zorblax-flag", "")).as_bytes());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].line, 2);
    assert!(found[0].message.contains("`async` is a shipped topic"));
    let text = one_question("zorblax-flag", "").replace("topic: core-python", "topic: nowhere");
    assert_one(text.as_bytes(), 3, "unknown topic `nowhere`");
}

async fn runtime(db: &std::path::Path) -> (Runtime, Store) {
    let store = Store::open(db).await.expect("opens");
    let (rt, _rx) = Runtime::new(
        store.clone(),
        Arc::new(common::shipped_bank().clone()),
        Clock::manual(common::T0),
    );
    (rt, store)
}

#[tokio::test]
async fn an_import_is_stored_seen_only_by_its_server_kept_on_bad_input_and_survives_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("bot.db");
    let (rt, store) = runtime(&db).await;
    let shipped = rt.bank();
    assert!(
        Arc::ptr_eq(&rt.bank_for(Some(GUILD)), &shipped),
        "no pack: the shared bank"
    );
    let done = rt
        .import_pack(GUILD, "acme.yaml", acme().into_bytes(), Some(42))
        .await
        .expect("no internal error")
        .expect("a valid pack");
    assert_eq!(done.questions, 3);
    assert_eq!(done.new_topics, ["acme-orm"]);
    let mine = rt.bank_for(Some(GUILD));
    assert!(mine
        .question(&format!("{GUILD}:acme-orm-flush-order"))
        .is_some());
    assert!(mine.topics.contains_key("acme-orm"));
    for other in [Some(OTHER), None] {
        let theirs = rt.bank_for(other);
        assert!(
            Arc::ptr_eq(&theirs, &shipped),
            "another server and the terminal: the shipped bank"
        );
        assert!(!theirs.topics.contains_key("acme-orm"));
    }
    let stored = store.pack(GUILD).await.expect("reads").expect("stored");
    assert_eq!(stored.yaml, acme(), "kept exactly as imported");
    assert_eq!((stored.questions, stored.imported_by), (3, Some(42)));

    // A broken pack changes nothing and says where.
    let broken = acme().replace(
        "    difficulty: medium\n",
        "    difficulty: medium\n    colour: red\n",
    );
    let refused = rt
        .import_pack(GUILD, "acme.yaml", broken.into_bytes(), Some(42))
        .await
        .expect("no internal error")
        .expect_err("refused");
    assert_eq!(refused.0.len(), 1);
    assert_eq!(refused.0[0].line, 13);
    assert!(
        Arc::ptr_eq(&rt.bank_for(Some(GUILD)), &mine),
        "the old pack stays"
    );
    assert_eq!(
        store.pack(GUILD).await.expect("reads").expect("kept").yaml,
        acme()
    );

    // A restart builds it again from the database.
    drop(rt);
    let (again, _) = runtime(&db).await;
    assert!(
        !again.bank_for(Some(GUILD)).topics.contains_key("acme-orm"),
        "not before loading"
    );
    assert_eq!(again.load_packs().await.expect("loads"), 1);
    assert!(again
        .bank_for(Some(GUILD))
        .question(&format!("{GUILD}:acme-orm-flush-order"))
        .is_some());
    // A bank reload rebuilds it on the new shipped bank.
    again.set_bank(Arc::new(common::shipped_bank().clone()));
    assert!(again.bank_for(Some(GUILD)).topics.contains_key("acme-orm"));

    let removed = again
        .remove_pack(GUILD)
        .await
        .expect("removes")
        .expect("had one");
    assert_eq!(removed.file_name, "acme.yaml");
    assert!(Arc::ptr_eq(&again.bank_for(Some(GUILD)), &again.bank()));
    assert!(store.pack(GUILD).await.expect("reads").is_none());
    assert!(again.remove_pack(GUILD).await.expect("removes").is_none());
}

#[tokio::test]
async fn a_pack_question_is_asked_and_graded_in_its_servers_interview_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (rt, store) = runtime(&dir.path().join("bot.db")).await;
    rt.import_pack(GUILD, "acme.yaml", acme().into_bytes(), None)
        .await
        .expect("no internal error")
        .expect("valid");
    let user = store.local_user("ann").await.expect("user");
    let request = |guild| StartRequest {
        kind: SessionKind::Solo,
        owner: user,
        participants: vec![Participant {
            user,
            name: "ann".into(),
            role: Role::Candidate,
            left: false,
        }],
        topics: vec!["acme-orm".into()],
        difficulty: DifficultyChoice::Mixed,
        questions: 1,
        seed: Some(1),
        settings: Settings::default(),
        guild_id: guild,
        channel_id: None,
        thread_id: None,
    };
    let err = rt
        .start(request(Some(OTHER)))
        .await
        .expect_err("not this server's topic");
    assert!(
        err.to_string().contains("unknown topic `acme-orm`"),
        "{err}"
    );
    let d = rt.start(request(Some(GUILD))).await.expect("starts");
    let id = d.session.id;
    let asked = d
        .session
        .state
        .current()
        .expect("asked")
        .question_id
        .clone();
    assert!(asked.starts_with(&format!("{GUILD}:acme-orm-")), "{asked}");
    let bank: Arc<Bank> = rt.bank_for(Some(GUILD));
    let q = bank.question(&asked).expect("in the server's bank");
    rt.handle(
        id,
        Event::Answer {
            by: user,
            text: q.model_answer.clone(),
        },
    )
    .await
    .expect("answers");
    let d = rt
        .handle(id, Event::Submit { by: user })
        .await
        .expect("submits");
    let result = d.session.state.results.last().expect("result");
    assert_eq!(result.covered, vec![true, true], "graded by its rubric");
}

#[tokio::test]
async fn an_interview_that_began_before_its_pack_was_removed_finishes_with_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (rt, store) = runtime(&dir.path().join("bot.db")).await;
    rt.import_pack(GUILD, "acme.yaml", acme().into_bytes(), None)
        .await
        .expect("no internal error")
        .expect("valid");
    let user = store.local_user("ann").await.expect("user");
    let mut req = StartRequest::solo(
        user,
        "ann",
        vec!["acme-orm".into()],
        DifficultyChoice::Mixed,
        2,
        Settings::default(),
    );
    req.guild_id = Some(GUILD);
    let old = rt.bank_for(Some(GUILD));
    let d = rt.start(req).await.expect("starts");
    let id = d.session.id;
    rt.remove_pack(GUILD).await.expect("removes");
    assert!(!rt.bank_for(Some(GUILD)).topics.contains_key("acme-orm"));
    for n in 0..2 {
        let s = rt.session(id).await.expect("loads").state;
        let asked = s.current().expect("asked").question_id.clone();
        let answer = old
            .question(&asked)
            .expect("a pack question")
            .model_answer
            .clone();
        rt.handle(
            id,
            Event::Answer {
                by: user,
                text: answer,
            },
        )
        .await
        .expect("answers");
        let d = rt
            .handle(id, Event::Submit { by: user })
            .await
            .expect("closes");
        assert_eq!(d.session.state.results[n].covered, vec![true, true]);
        rt.handle(
            id,
            Event::Rate {
                by: user,
                rating: Some(4),
            },
        )
        .await
        .expect("rated");
    }
    let s = rt.session(id).await.expect("loads").state;
    assert!(!s.is_running());
    assert_eq!(s.results.len(), 2, "both planned questions were asked");
}

#[tokio::test]
async fn the_importer_is_forgotten_when_they_delete_their_data_and_the_pack_stays() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (rt, store) = runtime(&dir.path().join("bot.db")).await;
    let discord_id = 424_242_424_242;
    let user = store.discord_user(discord_id, "ann").await.expect("user");
    rt.import_pack(GUILD, "acme.yaml", acme().into_bytes(), Some(discord_id))
        .await
        .expect("no internal error")
        .expect("valid");
    rt.forget_person(user).await.expect("forgets");
    let kept = store
        .pack(GUILD)
        .await
        .expect("reads")
        .expect("the server's pack stays");
    assert_eq!(kept.imported_by, None);
    assert_eq!(kept.questions, 3);
}
