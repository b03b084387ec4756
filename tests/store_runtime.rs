//! The store (migrations, transactions, queries) and the runtime over it
//! (transitions, deadlines, restart recovery), on a real SQLite file and on
//! a real PostgreSQL server (each test runs on both: `NAME::sqlite`,
//! `NAME::postgres`).

#[macro_use]
mod common;

use common::Db;

use interview_bot::bank::{Bank, DifficultyChoice};
use interview_bot::interview::*;
use interview_bot::runtime::{Delivery, Runtime, StartRequest};
use interview_bot::store::*;
use interview_bot::time::{Clock, Timestamp};
use sqlx::Row;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;

const DAY: Duration = Duration::from_secs(86_400);
const T0: Timestamp = Timestamp(1_800_000_000_000);

/// A runtime on a manual clock reading `at`, which only the test moves.
fn runtime(store: &Store, at: Timestamp) -> (Runtime, UnboundedReceiver<Delivery>) {
    runtime_on(store, &Clock::manual(at))
}

fn runtime_on(store: &Store, clock: &Clock) -> (Runtime, UnboundedReceiver<Delivery>) {
    Runtime::new(store.clone(), Arc::new(common::mini_bank()), clock.clone())
}

fn request(
    owner: UserId,
    name: &str,
    guild: Option<u64>,
    questions: usize,
    seconds: Option<f64>,
) -> StartRequest {
    StartRequest {
        kind: SessionKind::Solo,
        owner,
        participants: vec![Participant {
            user: owner,
            name: name.into(),
            role: Role::Candidate,
            left: false,
        }],
        topics: vec![],
        difficulty: DifficultyChoice::Mixed,
        questions,
        seed: Some(1),
        settings: Settings {
            seconds_override: seconds,
            ..Settings::default()
        },
        guild_id: guild,
        channel_id: None,
        thread_id: None,
    }
}

/// Runs a whole solo session in which every answer is the model answer,
/// rated `rating`; returns the session id.
async fn answer_all(
    rt: &Runtime,
    bank: &Bank,
    user: UserId,
    name: &str,
    guild: Option<u64>,
    n: usize,
    rating: u8,
) -> SessionId {
    let d = rt
        .start(request(user, name, guild, n, None))
        .await
        .expect("start");
    let id = d.session.id;
    loop {
        let s = rt.session(id).await.expect("load").state;
        if !s.is_running() {
            return id;
        }
        let q = bank
            .question(&s.current().expect("open").question_id)
            .expect("q");
        rt.handle(
            id,
            Event::Answer {
                by: user,
                text: q.model_answer.clone(),
            },
        )
        .await
        .expect("answer");
        rt.handle(id, Event::Submit { by: user })
            .await
            .expect("submit");
        rt.handle(
            id,
            Event::Rate {
                by: user,
                rating: Some(rating),
            },
        )
        .await
        .expect("rate");
    }
}

async fn opening_creates_the_folder_and_migrates_once(db: Db) {
    let s = db.open().await;
    let alice = s.local_user("alice").await.expect("user");
    s.close().await;
    let s = db.open().await;
    assert_eq!(
        s.local_user("alice").await.expect("same user"),
        alice,
        "data survives reopening"
    );
}

async fn a_database_from_a_newer_version_is_refused_untouched(db: Db) {
    let s = db.open().await;
    let checksum = if db.postgres {
        "decode('00', 'hex')"
    } else {
        "x'00'"
    };
    sqlx::query(&format!("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (9999, 'future', TRUE, {checksum}, 0)"))
        .execute(&db.raw().await)
        .await
        .expect("insert");
    s.close().await;
    let err = Store::connect(&db.url).await.expect_err("refused");
    let msg = err.to_string();
    assert!(
        msg.contains("newer interview-bot (schema version 9999"),
        "{msg}"
    );
}

#[tokio::test]
async fn a_database_path_that_cannot_be_created_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "not a folder").expect("write");
    let err = Store::open(&blocker.join("sub/test.db"))
        .await
        .expect_err("refused");
    assert!(
        err.to_string()
            .starts_with("cannot create the database folder"),
        "{err}"
    );
}

async fn every_transition_is_stored_and_a_stale_version_changes_nothing(db: Db) {
    let s = db.open().await;
    let (rt, _rx) = runtime(&s, T0);
    let alice = s.local_user("alice").await.expect("user");
    let d = rt
        .start(request(alice, "alice", None, 2, None))
        .await
        .expect("start");
    let id = d.session.id;
    rt.handle(
        id,
        Event::Answer {
            by: alice,
            text: "blue".into(),
        },
    )
    .await
    .expect("answer");
    let stored = s.load_session(id).await.expect("load").expect("exists");
    assert_eq!(stored.version, 1);
    assert_eq!(stored.state.current().expect("open").answer, "blue");
    let answer: String = sqlx::query_scalar(
        "SELECT answer FROM asked_questions WHERE session_id = $1 AND position = 0",
    )
    .bind(id)
    .fetch_one(&db.raw().await)
    .await
    .expect("row");
    assert_eq!(
        answer, "blue",
        "the query tables follow the state in the same transaction"
    );

    // A writer holding version 0 loses: nothing it wrote is kept.
    let mut stale = stored.clone();
    stale.version = 0;
    let mut other = stale.state.clone();
    other
        .apply(&common::mini_bank(), Event::Skip { by: alice }, T0)
        .expect("skip");
    let err = s
        .save_transition(&stale, &other, &[], T0)
        .await
        .expect_err("conflict");
    assert!(matches!(err, StoreError::Conflict));
    let after = s.load_session(id).await.expect("load").expect("exists");
    assert_eq!((after.version, after.state), (1, stored.state));
}

/// The answers live in their question rows, not in the session's stored
/// state, and loading the session puts them back: every answer so far, from
/// the rows of one snapshot, as they were typed.
async fn a_sessions_row_keeps_its_answers_in_the_question_rows_and_loads_them_back(db: Db) {
    let s = db.open().await;
    let (rt, _rx) = runtime(&s, T0);
    let alice = s.local_user("alice").await.expect("user");
    let id = rt
        .start(request(alice, "alice", None, 3, None))
        .await
        .expect("start")
        .session
        .id;
    let typed = |n: usize| {
        format!(
            "answer {n}: \"quoted\", é and a long tail {}",
            "x".repeat(2_000)
        )
    };
    let mut state = None;
    for n in 0..2 {
        for event in [
            Event::Answer {
                by: alice,
                text: typed(n),
            },
            Event::Submit { by: alice },
            Event::Rate {
                by: alice,
                rating: Some(3),
            },
        ] {
            state = Some(rt.handle(id, event).await.expect("step").session.state);
        }
    }
    let shown = state.expect("stepped");
    let row: String = sqlx::query_scalar("SELECT state FROM sessions WHERE id = $1")
        .bind(id)
        .fetch_one(&db.raw().await)
        .await
        .expect("row");
    assert!(
        !row.contains(&"x".repeat(100)),
        "the row repeats an answer: {row}"
    );
    assert!(row.len() < 3_000, "{} bytes", row.len());
    let loaded = s.load_session(id).await.expect("load").expect("exists");
    assert_eq!(
        loaded.state, shown,
        "loaded back as the runtime last had it"
    );
    let answers: Vec<&str> = loaded
        .state
        .results
        .iter()
        .map(|r| r.answer.as_str())
        .collect();
    assert_eq!(answers, [typed(0).as_str(), typed(1).as_str(), ""]);
    assert!(s.load_session(id + 1).await.expect("load").is_none());

    // Presses that leave the status alone do not write it; the one that
    // ends the session does, with its end.
    let status = || async {
        sqlx::query("SELECT status, ended_ms FROM sessions WHERE id = $1")
            .bind(id)
            .fetch_one(&db.raw().await)
            .await
            .map(|r| (r.get::<String, _>(0), r.get::<Option<i64>, _>(1)))
            .expect("row")
    };
    assert_eq!(status().await, ("running".to_string(), None));
    let ended = rt
        .handle(
            id,
            Event::End {
                by: Actor::person(alice),
            },
        )
        .await
        .expect("end")
        .session
        .state;
    assert_eq!(
        status().await,
        ("finished".to_string(), ended.ended_at.map(|t| t.millis()))
    );
    assert!(ended.ended_at.is_some());
}

async fn one_running_solo_interview_per_person_and_place(db: Db) {
    let s = db.open().await;
    let (rt, _rx) = runtime(&s, T0);
    let alice = s.local_user("alice").await.expect("user");
    rt.start(request(alice, "alice", Some(7), 1, None))
        .await
        .expect("first");
    let err = rt
        .start(request(alice, "alice", Some(7), 1, None))
        .await
        .expect_err("second");
    assert!(err
        .user_message()
        .expect("user-facing")
        .contains("already have an interview running"));
    rt.start(request(alice, "alice", Some(8), 1, None))
        .await
        .expect("another server is fine");
}

async fn leaderboard_ranks_by_best_points_and_hides_who_asked(db: Db) {
    let s = db.open().await;
    let bank = common::mini_bank();
    let (rt, _rx) = runtime(&s, T0);
    let names = ["ann", "ben", "cat", "dan"];
    let mut ids = Vec::new();
    for n in names {
        ids.push(s.local_user(n).await.expect("user"));
    }
    // ann: 5 questions rated 5; ben: rated 3; cat: rated 5 but hides; dan: only 2 questions.
    answer_all(&rt, &bank, ids[0], "ann", Some(1), 5, 5).await;
    answer_all(&rt, &bank, ids[1], "ben", Some(1), 5, 3).await;
    answer_all(&rt, &bank, ids[2], "cat", Some(1), 5, 5).await;
    answer_all(&rt, &bank, ids[3], "dan", Some(1), 2, 5).await;
    s.set_hidden(ids[2], true).await.expect("hide");
    // ben repeats the same questions: only his best result per question counts.
    answer_all(&rt, &bank, ids[1], "ben", Some(1), 5, 3).await;
    // ann also practised in another server.
    answer_all(&rt, &bank, ids[0], "ann", Some(2), 3, 1).await;

    let q = |scope, period, me| LeaderboardQuery {
        scope,
        topic: None,
        difficulty: None,
        period,
        panel_only: false,
        now: T0,
        me,
    };
    let board = s
        .leaderboard(&q(Scope::Guild(1), Period::Month, Some(ids[3])))
        .await
        .expect("board");
    let rows: Vec<(&str, i64, f64, i64)> = board
        .top
        .iter()
        .map(|r| (r.name.as_str(), r.rank, r.points, r.answered))
        .collect();
    // Model answers cover every key point: score = 0.5·rating% + 50.
    // Weights over the 5 questions: 1+1+2+2+3 = 9. ann 100% → 9 points; ben 75% → 6.75.
    assert_eq!(rows, vec![("ann", 1, 9.0, 5), ("ben", 2, 6.75, 5)]);
    assert_eq!(board.me, None, "dan answered only 2 questions");
    let everywhere = s
        .leaderboard(&q(Scope::All, Period::All, Some(ids[1])))
        .await
        .expect("board");
    assert_eq!(
        everywhere.top[0].answered, 5,
        "best per question across servers: still 5 distinct questions"
    );
    assert_eq!(everywhere.me.as_ref().map(|r| r.rank), Some(2));
    // A week later the month still counts them; the week does not.
    let later = T0.plus(DAY * 8);
    let week = LeaderboardQuery {
        now: later,
        ..q(Scope::Guild(1), Period::Week, None)
    };
    assert!(s.leaderboard(&week).await.expect("board").top.is_empty());
    let month = LeaderboardQuery {
        now: later,
        ..q(Scope::Guild(1), Period::Month, None)
    };
    assert_eq!(s.leaderboard(&month).await.expect("board").top.len(), 2);
    let topic = LeaderboardQuery {
        topic: Some("beta".into()),
        ..q(Scope::Guild(1), Period::Month, None)
    };
    assert!(
        s.leaderboard(&topic).await.expect("board").top.is_empty(),
        "only 2 beta questions exist: nobody reaches 3"
    );
}

async fn stats_history_and_notes_describe_a_persons_practice(db: Db) {
    let s = db.open().await;
    let bank = common::mini_bank();
    let (rt, _rx) = runtime(&s, T0);
    let ann = s.local_user("ann").await.expect("user");
    answer_all(&rt, &bank, ann, "ann", None, 2, 1).await;
    // A second session where every answer misses: notes for each key point.
    let d = rt
        .start(request(ann, "ann", None, 1, None))
        .await
        .expect("start");
    rt.handle(
        d.session.id,
        Event::Answer {
            by: ann,
            text: "no idea".into(),
        },
    )
    .await
    .expect("answer");
    rt.handle(d.session.id, Event::Submit { by: ann })
        .await
        .expect("submit");
    rt.handle(
        d.session.id,
        Event::Rate {
            by: ann,
            rating: None,
        },
    )
    .await
    .expect("no rating");

    let stats = s.user_stats(ann, Scope::All, T0).await.expect("stats");
    assert_eq!(
        (stats.sessions, stats.answered, stats.streak_days),
        (2, 3, 1)
    );
    assert_eq!(stats.weakest.first().map(|t| t.average < 50.0), Some(true));
    let history = s.history(ann, 10).await.expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].session_id, d.session.id, "newest first");

    let open = s
        .notes(ann, None, NoteFilter::Open, 50)
        .await
        .expect("notes");
    let missed = bank
        .question(&d.session.state.plan[0].question_id)
        .expect("q")
        .key_points
        .len();
    assert_eq!(open.len(), missed, "one note per missed key point");
    assert!(s.resolve_note(open[0].id, ann, T0).await.expect("resolve"));
    let bob = s.local_user("bob").await.expect("user");
    assert!(
        !s.resolve_note(open[1].id, bob, T0).await.expect("not his"),
        "only the subject or author resolves"
    );
    assert_eq!(
        s.notes(ann, None, NoteFilter::Resolved, 50)
            .await
            .expect("notes")
            .len(),
        1
    );
    let id = s
        .add_note(None, ann, Some(bob), "Practise @everyone less", rt.now())
        .await
        .expect("add");
    let all = s
        .notes(ann, None, NoteFilter::All, 50)
        .await
        .expect("notes");
    assert_eq!(
        (all[0].id, all[0].author_name.as_deref()),
        (id, Some("bob"))
    );

    s.delete_user(ann).await.expect("delete");
    assert!(s
        .notes(ann, None, NoteFilter::All, 50)
        .await
        .expect("notes")
        .is_empty());
    assert!(s.history(ann, 10).await.expect("history").is_empty());
}

async fn a_restart_advances_overdue_sessions_and_rearms_the_rest(db: Db) {
    let s = db.open().await;
    let (before, _rx) = runtime(&s, T0);
    let ann = s.local_user("ann").await.expect("user");
    let ben = s.local_user("ben").await.expect("user");
    // ann's question is due in 30 s; ben's in 10 minutes.
    let overdue = before
        .start(request(ann, "ann", Some(1), 2, Some(30.0)))
        .await
        .expect("start")
        .session
        .id;
    let pending = before
        .start(request(ben, "ben", Some(1), 2, Some(600.0)))
        .await
        .expect("start")
        .session
        .id;
    before
        .handle(
            overdue,
            Event::Answer {
                by: ann,
                text: "blue".into(),
            },
        )
        .await
        .expect("answer");
    drop(before);

    // The process comes back two minutes later.
    let (after, mut deliveries) = runtime(&s, T0.plus(Duration::from_secs(120)));
    let report = after.recover().await.expect("recover");
    assert_eq!((report.advanced, report.rearmed, report.failed), (1, 1, 0));
    let d = deliveries
        .try_recv()
        .expect("the overdue session's effects are delivered");
    assert_eq!(d.session.id, overdue);
    assert!(d.from_timer());
    assert!(
        d.effects
            .iter()
            .any(|e| matches!(e, Effect::Feedback(f) if f.outcome == Outcome::TimedOut)),
        "{:?}",
        d.effects
    );
    let state = after.session(overdue).await.expect("load").state;
    assert_eq!(
        state.results[0].outcome,
        Some(Outcome::TimedOut),
        "what was typed was submitted"
    );
    assert!(matches!(state.phase, Phase::Scoring { .. }));
    // Arming is immediate: both sessions have their next deadline.
    assert_eq!(after.armed(), 2);
    assert_eq!(
        after.armed_at(pending),
        after
            .session(pending)
            .await
            .expect("load")
            .state
            .next_wakeup()
    );
    let untouched = after.session(pending).await.expect("load").state;
    assert_eq!(untouched.results.len(), 1);
    assert_eq!(untouched.results[0].outcome, None);
}

async fn an_armed_deadline_fires_when_the_clock_reaches_it_and_its_effects_are_delivered(db: Db) {
    let s = db.open().await;
    let clock = Clock::manual(T0);
    let (rt, mut deliveries) = runtime_on(&s, &clock);
    let ann = s.local_user("ann").await.expect("user");
    // A 30 s question: the reminder at 24 s, then the deadline.
    let id = rt
        .start(request(ann, "ann", None, 1, Some(30.0)))
        .await
        .expect("start")
        .session
        .id;
    assert_eq!(rt.armed_at(id), Some(T0.plus(Duration::from_secs(24))));
    clock.advance(Duration::from_secs(23));
    clock.advance(Duration::from_secs(1));
    let remind = next_delivery(&mut deliveries).await;
    assert_eq!(remind.session.id, id);
    assert!(
        matches!(remind.effects[..], [Effect::Remind { .. }]),
        "{:?}",
        remind.effects
    );
    assert_eq!(remind.fired_at, Some(T0.plus(Duration::from_secs(24))));
    clock.advance(Duration::from_secs(6));
    let timeout = next_delivery(&mut deliveries).await;
    assert!(
        timeout
            .effects
            .iter()
            .any(|e| matches!(e, Effect::Feedback(_))),
        "{:?}",
        timeout.effects
    );
    let stored = rt.session(id).await.expect("load").state;
    assert_eq!(stored.results[0].outcome, Some(Outcome::Unanswered));
}

/// The next timer delivery, within a generous bound (the clock has already
/// been moved; this only waits for the firing's own work).
async fn next_delivery(rx: &mut UnboundedReceiver<Delivery>) -> Delivery {
    tokio::time::timeout(Duration::from_secs(20), rx.recv())
        .await
        .expect("a deadline fired")
        .expect("the runtime is alive")
}

async fn a_press_meant_for_a_closed_question_never_lands_on_the_next_one(db: Db) {
    let s = db.open().await;
    let (rt, _rx) = runtime(&s, T0);
    let ann = s.local_user("ann").await.expect("user");
    let id = rt
        .start(request(ann, "ann", None, 2, None))
        .await
        .expect("start")
        .session
        .id;
    rt.press(id, Actor::person(ann), Press::at(0, Control::Skip))
        .await
        .expect("skip the first");
    // A second Skip pressed on the first question's message arrives late.
    let err = rt
        .press(id, Actor::person(ann), Press::at(0, Control::Skip))
        .await
        .expect_err("stale");
    assert_eq!(
        err.user_message().as_deref(),
        Some("that question is already closed; the current one is below")
    );
    let state = rt.session(id).await.expect("load").state;
    assert_eq!(state.results.len(), 2);
    assert_eq!(
        state.results[1].outcome, None,
        "the second question is untouched"
    );
}

async fn a_panel_gives_every_candidate_the_same_number_of_turns_or_says_why_it_cannot(db: Db) {
    let store = db.open().await;
    let (rt, _rx) = runtime(&store, T0);
    let mut people = Vec::new();
    for (i, name) in ["ann", "ben", "cat"].iter().enumerate() {
        let user = store.local_user(name).await.expect("user");
        let role = if i < 2 {
            Role::Candidate
        } else {
            Role::Interviewer
        };
        people.push(Participant {
            user,
            name: name.to_string(),
            role,
            left: false,
        });
    }
    let panel = |difficulty, questions, participants: Vec<Participant>| StartRequest {
        kind: SessionKind::Panel,
        owner: participants[2].user,
        participants,
        difficulty,
        questions,
        ..request(UserId(0), "", None, 1, None)
    };
    // Five questions for two candidates asking three each: two each, in turn.
    let d = rt
        .start(panel(DifficultyChoice::Mixed, 3, people.clone()))
        .await
        .expect("starts");
    let turns: Vec<UserId> = d.session.state.plan.iter().map(|p| p.candidate).collect();
    let (ann, ben) = (people[0].user, people[1].user);
    assert_eq!(turns, [ann, ben, ann, ben]);

    // One hard question cannot go round two candidates: refused, with why.
    let err = rt
        .start(panel(DifficultyChoice::Hard, 1, people))
        .await
        .expect_err("too few");
    let shown = err.user_message().expect("shown to the person");
    assert!(
        shown.contains("fewer than the 2 candidates") && shown.contains("mixed"),
        "{shown}"
    );
}

on_both_backends!(
    opening_creates_the_folder_and_migrates_once,
    a_database_from_a_newer_version_is_refused_untouched,
    every_transition_is_stored_and_a_stale_version_changes_nothing,
    a_sessions_row_keeps_its_answers_in_the_question_rows_and_loads_them_back,
    one_running_solo_interview_per_person_and_place,
    leaderboard_ranks_by_best_points_and_hides_who_asked,
    stats_history_and_notes_describe_a_persons_practice,
    a_restart_advances_overdue_sessions_and_rearms_the_rest,
    an_armed_deadline_fires_when_the_clock_reaches_it_and_its_effects_are_delivered,
    a_press_meant_for_a_closed_question_never_lands_on_the_next_one,
    a_panel_gives_every_candidate_the_same_number_of_turns_or_says_why_it_cannot,
);
