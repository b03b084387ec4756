//! The `interview-bot` binary end to end: piped answers in, printed feedback
//! and database rows out.

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bot(cwd: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_interview-bot"));
    c.current_dir(cwd)
        .env_remove("RUST_LOG")
        .env("USER", "tester")
        .arg("--bank")
        .arg(common::repo_path("tests/fixtures/mini-bank"));
    c
}

fn run_with_input(cmd: &mut Command, input: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("writes");
    child.wait_with_output().expect("finishes")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn query(db: &Path, sql: &str) -> Vec<Vec<String>> {
    try_query(db, sql).expect("query")
}

/// Rows as text; None while the database or its tables do not exist yet.
fn try_query(db: &Path, sql: &str) -> Option<Vec<Vec<String>>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("rt");
    rt.block_on(async {
        use sqlx::Row;
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
            .await
            .ok()?;
        let rows = sqlx::query(sql).fetch_all(&pool).await.ok()?;
        let cell = |r: &sqlx::sqlite::SqliteRow, i: usize| {
            r.try_get::<String, _>(i)
                .or_else(|_| r.try_get::<i64, _>(i).map(|v| v.to_string()))
                .or_else(|_| r.try_get::<f64, _>(i).map(|v| v.to_string()))
                .unwrap_or_else(|_| "NULL".into())
        };
        Some(
            rows.iter()
                .map(|r| (0..r.columns().len()).map(|i| cell(r, i)).collect())
                .collect(),
        )
    })
}

#[test]
fn a_piped_session_prints_feedback_and_saves_everything() {
    let dir = tempfile::tempdir().expect("tempdir");
    // beta has two questions; a mixed session goes easy then medium.
    let input = "A flange joins pipes\nand is bolted.\n\n5\n/hint\nWelding is permanent\n/done\n\n";
    let out = run_with_input(
        bot(dir.path()).args([
            "practice",
            "--topic",
            "beta",
            "--questions",
            "2",
            "--seed",
            "3",
        ]),
        input,
    );
    let stdout = text(&out.stdout);
    assert!(
        out.status.success(),
        "stdout:\n{stdout}\nstderr:\n{}",
        text(&out.stderr)
    );
    assert!(stdout.contains("Question 1 of 2 · Beta · easy"), "{stdout}");
    assert!(stdout.contains("What is a flange?"), "{stdout}");
    assert!(
        stdout.contains("3:00 to answer"),
        "easy questions get 3 minutes:\n{stdout}"
    );
    assert!(
        stdout.contains("Key points covered: 2/2 (100%)"),
        "{stdout}"
    );
    assert!(stdout.contains("Score: 100/100 · 1.00 points"), "{stdout}");
    assert!(stdout.contains("💡 Hint 1: Think undo."), "{stdout}");
    assert!(stdout.contains("✗ Welds need heat."), "{stdout}");
    // coverage 50, no rating, one hint: 40; medium weight 2 → 0.80.
    assert!(stdout.contains("Score: 40/100 · 0.80 points"), "{stdout}");
    assert!(
        stdout.contains("Total: average 70/100, 1.80 points"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Follow-up notes saved (1):")
            && stdout.contains("Review (Beta): Welds need heat."),
        "{stdout}"
    );

    // The default database was created with its folder under the working directory.
    let db = dir.path().join("data/interview-bot.db");
    assert_eq!(
        query(&db, "SELECT kind, status FROM sessions"),
        vec![vec!["solo".to_string(), "finished".into()]]
    );
    assert_eq!(
        query(&db, "SELECT question_id, outcome, coverage, score, hints_used, answer FROM asked_questions ORDER BY position"),
        vec![
            vec!["beta-easy".to_string(), "answered".into(), "100".into(), "100".into(), "0".into(), "A flange joins pipes\nand is bolted.".into()],
            vec!["beta-medium".to_string(), "answered".into(), "50".into(), "40".into(), "1".into(), "Welding is permanent".into()],
        ]
    );
    assert_eq!(
        query(&db, "SELECT role, technical FROM ratings"),
        vec![vec!["self".to_string(), "5".into()]]
    );
    assert_eq!(
        query(&db, "SELECT text, resolved FROM notes"),
        vec![vec![
            "Review (Beta): Welds need heat.".to_string(),
            "0".into()
        ]]
    );

    // The reports show the same data.
    let notes = bot(dir.path()).arg("notes").output().expect("notes");
    assert!(
        text(&notes.stdout).contains("[open] Review (Beta): Welds need heat."),
        "{}",
        text(&notes.stdout)
    );
    let history = bot(dir.path()).arg("history").output().expect("history");
    assert!(
        text(&history.stdout).contains("2 question(s) · average 70/100 · 1.80 points"),
        "{}",
        text(&history.stdout)
    );
    let board = bot(dir.path())
        .arg("leaderboard")
        .output()
        .expect("leaderboard");
    assert!(
        text(&board.stdout).contains("Nobody yet: 3 answered questions are needed"),
        "{}",
        text(&board.stdout)
    );
    let stats = bot(dir.path()).arg("stats").output().expect("stats");
    assert!(
        text(&stats.stdout).contains("Sessions: 1 · questions answered: 2"),
        "{}",
        text(&stats.stdout)
    );
}

#[test]
fn end_of_input_abandons_the_session_and_keeps_the_answer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run_with_input(
        bot(dir.path()).args(["practice", "--topic", "alpha", "--questions", "2"]),
        "half an answer about teeth\n",
    );
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("Session abandoned; the answers you gave are kept."),
        "{stdout}"
    );
    let db = dir.path().join("data/interview-bot.db");
    assert_eq!(
        query(&db, "SELECT status FROM sessions"),
        vec![vec!["abandoned".to_string()]]
    );
    assert_eq!(
        query(&db, "SELECT answer, outcome FROM asked_questions"),
        vec![vec![
            "half an answer about teeth".to_string(),
            "timed_out".into()
        ]]
    );
}

#[test]
fn the_deadline_submits_on_its_own_while_input_stays_open() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = bot(dir.path())
        .args([
            "practice",
            "--topic",
            "beta",
            "--questions",
            "2",
            "--seconds",
            "0.3",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let stdin = child.stdin.take(); // held open: the person is thinking
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the session never ended on its own"
        );
        std::thread::yield_now();
    };
    drop(stdin);
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut stdout)
        .expect("read");
    assert!(status.success(), "{stdout}");
    assert_eq!(
        stdout.matches("Time is up, and nothing was typed").count(),
        2,
        "{stdout}"
    );
    assert!(stdout.contains("Summary (finished)"), "{stdout}");
    let db = dir.path().join("data/interview-bot.db");
    assert_eq!(
        query(&db, "SELECT outcome, score FROM asked_questions"),
        vec![vec!["unanswered".to_string(), "0".into()]; 2]
    );
}

#[test]
fn bad_input_gets_one_clear_line_and_a_failing_exit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = bot(dir.path())
        .args(["practice", "--topic", "nope"])
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert_eq!(
        text(&out.stderr).trim(),
        "error: unknown topic `nope`: choose one of alpha, beta"
    );
    assert!(
        !dir.path().join("data").exists()
            || query(
                &dir.path().join("data/interview-bot.db"),
                "SELECT id FROM sessions"
            )
            .is_empty()
    );

    let out = bot(dir.path())
        .args(["practice", "--questions", "0"])
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    assert_eq!(
        text(&out.stderr).trim(),
        "error: --questions must be 1 to 20, not 0"
    );

    std::fs::write(dir.path().join("blocker"), "x").expect("write");
    let out = bot(dir.path())
        .args(["practice", "--database", "blocker/sub/db.sqlite"])
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.starts_with(
            "error: cannot use the database: cannot create the database folder blocker/sub"
        ),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn a_broken_bank_is_listed_with_file_and_line_and_starts_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bank = dir.path().join("bank");
    std::fs::create_dir(&bank).expect("mkdir");
    for f in ["topics.yaml", "alpha.yaml", "beta.yaml"] {
        std::fs::copy(
            common::repo_path("tests/fixtures/mini-bank").join(f),
            bank.join(f),
        )
        .expect("copy");
    }
    let alpha = std::fs::read_to_string(bank.join("alpha.yaml"))
        .expect("read")
        .replace("difficulty: hard", "difficulty: tough");
    std::fs::write(bank.join("alpha.yaml"), alpha).expect("write");

    let check = Command::new(env!("CARGO_BIN_EXE_interview-bot"))
        .current_dir(dir.path())
        .args(["bank", "check", "bank"])
        .output()
        .expect("runs");
    assert_eq!(check.status.code(), Some(1));
    let stdout = text(&check.stdout);
    assert!(stdout.contains("bank/alpha.yaml:30: bad difficulty: unknown variant `tough`, expected one of `easy`, `medium`, `hard`"), "{stdout}");

    let practice = Command::new(env!("CARGO_BIN_EXE_interview-bot"))
        .current_dir(dir.path())
        .args(["--bank", "bank", "practice"])
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    assert!(!practice.status.success());
    assert!(
        text(&practice.stderr).contains("alpha.yaml:30"),
        "{}",
        text(&practice.stderr)
    );
    assert!(!dir.path().join("data").exists(), "nothing was written");
}

#[test]
fn bank_stats_prints_tables_and_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = bot(dir.path())
        .args(["bank", "stats"])
        .output()
        .expect("runs");
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("alpha/two") && stdout.contains("5 questions in all"),
        "{stdout}"
    );
    let json = bot(dir.path())
        .args(["bank", "stats", "--json"])
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(v["total"], 5);
    assert_eq!(v["subtopics"].as_array().map(Vec::len), Some(3));
}

#[test]
fn ctrl_c_abandons_the_session_and_keeps_what_was_answered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = bot(dir.path())
        .args(["practice", "--topic", "alpha", "--questions", "2"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"spinning blue gizmo\n").expect("write");
    stdin.flush().expect("flush");
    // Wait until the answer is stored, then press Ctrl-C.
    let db = dir.path().join("data/interview-bot.db");
    let start = Instant::now();
    let stored = || {
        db.exists()
            && try_query(&db, "SELECT answer FROM asked_questions")
                .is_some_and(|rows| rows.first().is_some_and(|r| !r[0].is_empty()))
    };
    while !stored() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the answer was never stored"
        );
        std::thread::yield_now();
    }
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill")
        .success());
    let out = child.wait_with_output().expect("exits");
    drop(stdin);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("Session abandoned"), "{stdout}");
    assert_eq!(
        query(&db, "SELECT status FROM sessions"),
        vec![vec!["abandoned".to_string()]]
    );
    assert_eq!(
        query(&db, "SELECT answer FROM asked_questions"),
        vec![vec!["spinning blue gizmo".to_string()]]
    );
}
