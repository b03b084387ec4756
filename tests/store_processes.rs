//! Two processes on one database: two `Store`s (two pools, as two bot
//! processes have) racing on the same rows lose nothing, on a SQLite file
//! and on PostgreSQL. And a terminal practice end to end on either.

#[macro_use]
mod common;

use common::{mini_bank, Db, T0};
use futures::future::join_all;
use interview_bot::bank::DifficultyChoice;
use interview_bot::interview::*;
use interview_bot::runtime::{Runtime, StartRequest};
use interview_bot::store::{GuildSettings, LobbyMember, LobbyRole, NewLobby, Store, StoreError};
use interview_bot::time::Clock;
use std::sync::Arc;

fn runtime(store: &Store) -> Runtime {
    Runtime::new(store.clone(), Arc::new(mini_bank()), Clock::manual(T0)).0
}

fn solo(user: UserId, name: &str, guild: Option<u64>) -> StartRequest {
    let settings = Settings {
        seconds_override: Some(300.0),
        ..Settings::default()
    };
    StartRequest {
        seed: Some(1),
        guild_id: guild,
        ..StartRequest::solo(user, name, vec![], DifficultyChoice::Mixed, 1, settings)
    }
}

/// Appends `text` to the open answer as a process would with no lock
/// shared with the other process: load, apply, store if nobody wrote in
/// between, else load again. Returns how many times it lost a race.
async fn append(store: &Store, id: i64, by: UserId, text: String) -> u32 {
    let bank = mini_bank();
    let mut lost = 0;
    loop {
        let stored = store.load_session(id).await.expect("load").expect("there");
        let mut state = stored.state.clone();
        let event = Event::Answer {
            by,
            text: text.clone(),
        };
        let effects = state.apply(&bank, event, T0).expect("applies");
        match store.save_transition(&stored, &state, &effects, T0).await {
            Ok(_) => return lost,
            Err(StoreError::Conflict) => lost += 1,
            Err(e) => panic!("the write failed: {e}"),
        }
    }
}

async fn two_processes_racing_transitions_on_one_session_lose_no_update(db: Db) {
    let (one, two) = (db.open().await, db.open().await);
    let ann = one.local_user("ann").await.expect("user");
    let id = runtime(&one)
        .start(solo(ann, "ann", None))
        .await
        .expect("start")
        .session
        .id;
    // Four writers in each process, five pieces each, all at once.
    let mut writers = Vec::new();
    for w in 0..8 {
        let store = if w % 2 == 0 { one.clone() } else { two.clone() };
        writers.push(tokio::spawn(async move {
            let mut lost = 0;
            for n in 0..5 {
                lost += append(&store, id, ann, format!("piece-{w}-{n}")).await;
            }
            lost
        }));
    }
    let lost: u32 = join_all(writers)
        .await
        .into_iter()
        .map(|r| r.expect("writer"))
        .sum();
    for store in [&one, &two] {
        let stored = store.load_session(id).await.expect("load").expect("there");
        assert_eq!(stored.version, 40, "one version per piece ({lost} retried)");
        let answer = &stored.state.results[0].answer;
        let mut pieces: Vec<&str> = answer.lines().collect();
        pieces.sort();
        let mut expected: Vec<String> = (0..8)
            .flat_map(|w| (0..5).map(move |n| format!("piece-{w}-{n}")))
            .collect();
        expected.sort();
        assert_eq!(pieces, expected, "every piece exactly once");
    }
}

async fn processes_changing_different_settings_of_one_server_all_keep_theirs(db: Db) {
    let (one, two, three) = (db.open().await, db.open().await, db.open().await);
    for round in 0..40_u64 {
        let guild = 1000 + round;
        let (a, b, c) = (one.clone(), two.clone(), three.clone());
        let tasks = [
            tokio::spawn(async move {
                a.update_guild_settings(guild, |s| s.default_minutes = Some(7))
                    .await
            }),
            tokio::spawn(async move {
                b.update_guild_settings(guild, |s| s.interview_channel_id = Some(42))
                    .await
            }),
            tokio::spawn(async move {
                c.update_guild_settings(guild, |s| s.review_channel_id = Some(u64::MAX))
                    .await
            }),
        ];
        for t in join_all(tasks).await {
            t.expect("task").expect("update");
        }
        assert_eq!(
            two.guild_settings(guild).await.expect("reads"),
            GuildSettings {
                default_minutes: Some(7),
                interview_channel_id: Some(42),
                interviewer_role_id: None,
                review_channel_id: Some(u64::MAX),
            },
            "round {round}: ids above i64::MAX stay exact too"
        );
    }
}

async fn two_processes_joining_one_lobby_at_once_all_stay_in_it(db: Db) {
    let (one, two) = (db.open().await, db.open().await);
    let lobby = one
        .create_lobby(&NewLobby {
            guild: 1,
            channel: 2,
            creator: 3,
            topic: "alpha".into(),
            difficulty: "mixed".into(),
            questions: 1,
            minutes: None,
            created: T0,
        })
        .await
        .expect("lobby")
        .id;
    let joins = (0..8_u64).map(|i| {
        let store = if i % 2 == 0 { one.clone() } else { two.clone() };
        tokio::spawn(async move {
            store
                .update_lobby(lobby, |l| {
                    l.members.push(LobbyMember {
                        discord_id: 100 + i,
                        name: format!("p{i}"),
                        role: LobbyRole::Candidate,
                    });
                    Ok::<_, ()>(())
                })
                .await
        })
    });
    for j in join_all(joins).await {
        j.expect("task")
            .expect("stored")
            .expect("lobby exists")
            .expect("joined");
    }
    let mut ids: Vec<u64> = two
        .lobby(lobby)
        .await
        .expect("read")
        .expect("lobby")
        .members
        .iter()
        .map(|m| m.discord_id)
        .collect();
    ids.sort();
    assert_eq!(ids, (100..108).collect::<Vec<_>>());
}

async fn two_processes_starting_one_persons_interview_at_once_start_one(db: Db) {
    let (one, two) = (db.open().await, db.open().await);
    let ann = one.local_user("ann").await.expect("user");
    let (rt_one, rt_two) = (runtime(&one), runtime(&two));
    for guild in [5_u64, 6, 7] {
        let (a, b) = tokio::join!(
            rt_one.start(solo(ann, "ann", Some(guild))),
            rt_two.start(solo(ann, "ann", Some(guild)))
        );
        let started = [a.is_ok(), b.is_ok()];
        assert_eq!(
            started.iter().filter(|&&s| s).count(),
            1,
            "server {guild}: exactly one of the two starts"
        );
        let refused = if let Err(e) = a {
            e
        } else {
            b.expect_err("refused")
        };
        assert!(
            refused
                .user_message()
                .is_some_and(|m| m.contains("already have an interview running")),
            "{refused:?}"
        );
    }
}

async fn forgetting_a_person_waits_for_every_session_that_mentions_them(db: Db) {
    let (one, two) = (db.open().await, db.open().await);
    let bob = one.discord_user(u64::MAX - 1, "Bob").await.expect("user");
    let running = runtime(&one)
        .start(solo(bob, "Bob", Some(9)))
        .await
        .expect("start")
        .session
        .id;
    // The other process forgets Bob without having scrubbed that session:
    // nothing is deleted, and the session is named to be scrubbed first.
    assert_eq!(two.forget_user(bob, &[]).await.expect("checked"), [running]);
    assert_eq!(
        one.find_discord_user(u64::MAX - 1).await.expect("find"),
        Some(bob)
    );
    assert!(two
        .forget_user(bob, &[running])
        .await
        .expect("deleted")
        .is_empty());
    assert_eq!(
        one.find_discord_user(u64::MAX - 1).await.expect("find"),
        None
    );
    assert!(one.load_session(running).await.expect("load").is_none());
}

on_both_backends!(
    forgetting_a_person_waits_for_every_session_that_mentions_them,
    two_processes_racing_transitions_on_one_session_lose_no_update,
    processes_changing_different_settings_of_one_server_all_keep_theirs,
    two_processes_joining_one_lobby_at_once_all_stay_in_it,
    two_processes_starting_one_persons_interview_at_once_start_one,
);

/// `practice` with `--database postgres://...`: the binary as a person runs
/// it, answers piped in, then the rows read back from PostgreSQL.
async fn a_terminal_practice_runs_end_to_end(db: Db) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_interview-bot"))
        .current_dir(dir.path())
        .env_remove("RUST_LOG")
        .env("USER", "tester")
        .arg("--bank")
        .arg(common::repo_path("tests/fixtures/mini-bank"))
        .arg("--database")
        .arg(&db.url)
        .args([
            "practice",
            "--topic",
            "beta",
            "--questions",
            "1",
            "--seed",
            "3",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawns");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(b"A flange joins pipes\nand is bolted.\n\n4\n")
            .expect("writes");
    }
    let out = child.wait_with_output().expect("finishes");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "stdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("Key points covered: 2/2 (100%)"),
        "{stdout}"
    );
    if db.postgres {
        assert!(
            !stdout.contains("password") && stdout.contains("Saved to postgres://"),
            "{stdout}"
        );
    }
    let rows: Vec<(String, String, Option<i64>)> = sqlx::query_as(
        "SELECT s.status, aq.question_id, aq.score FROM sessions s
         JOIN asked_questions aq ON aq.session_id = s.id",
    )
    .fetch_all(&db.raw().await)
    .await
    .expect("rows");
    // Full coverage and a self rating of 4 (75%): 0.5·75 + 0.5·100.
    assert_eq!(rows, [("finished".into(), "beta-easy".into(), Some(88))]);
}

on_both_backends!(a_terminal_practice_runs_end_to_end);

/// Each process keeps the state it last stored for a session, so a press
/// need not read it back; a press here after the other process moved the
/// session on must still land on what is stored, not on the old copy.
async fn a_press_after_the_other_process_wrote_applies_to_the_stored_state(db: Db) {
    let (one, two) = (db.open().await, db.open().await);
    let ann = one.local_user("ann").await.expect("user");
    let (here, there) = (runtime(&one), runtime(&two));
    let id = here
        .start(solo(ann, "ann", None))
        .await
        .expect("start")
        .session
        .id;
    let answer = |text: &str| Event::Answer {
        by: ann,
        text: text.to_string(),
    };
    there.handle(id, answer("first")).await.expect("there");
    let d = here.handle(id, answer("second")).await.expect("here");
    assert_eq!(d.session.version, 2, "stored on top of the other's write");
    let stored = one.load_session(id).await.expect("load").expect("there");
    assert_eq!(stored.version, 2);
    assert_eq!(stored.state.results[0].answer, "first\nsecond");
}

on_both_backends!(a_press_after_the_other_process_wrote_applies_to_the_stored_state);
