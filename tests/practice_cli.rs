//! The `interview-bot` binary end to end: piped answers in, printed feedback
//! and database rows out.

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{bot_command as bot, run_with_input};

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

/// Everything the session prints, as it prints it.
struct Printed(tokio::sync::mpsc::UnboundedSender<String>);

impl Write for Printed {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let _ = self.0.send(String::from_utf8_lossy(buf).into_owned());
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Reads what was printed until `needle` appears (bounded); returns it all.
async fn printed_until(
    rx: &mut tokio::sync::mpsc::UnboundedReceiver<String>,
    seen: &mut String,
    needle: &str,
) {
    while !seen.contains(needle) {
        match tokio::time::timeout(Duration::from_secs(20), rx.recv()).await {
            Ok(Some(chunk)) => seen.push_str(&chunk),
            _ => panic!("never printed {needle:?}:\n{seen}"),
        }
    }
}

// In-process, on a manual clock: the deadlines pass when the test says, so
// nothing waits for real time while input stays open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deadline_submits_on_its_own_while_input_stays_open() {
    use interview_bot::terminal::practice::{run_on, Terminal};
    use interview_bot::time::{Clock, Timestamp};
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("practice.db");
    let store = interview_bot::store::Store::open(&db).await.expect("opens");
    let clock = Clock::manual(Timestamp::system_now());
    let (typed, lines) = tokio::sync::mpsc::channel(8); // held open: the person is thinking
    let (out, mut printed) = tokio::sync::mpsc::unbounded_channel();
    let args = interview_bot::cli::PracticeArgs {
        topics: vec!["beta".into()],
        difficulty: "mixed".into(),
        questions: Some(2),
        minutes: None,
        seconds: Some(30.0),
        seed: None,
        user: Some("tester".into()),
        ai: false,
    };
    let terminal = Terminal {
        clock: clock.clone(),
        lines,
        out: Printed(out),
    };
    let session = tokio::spawn(async move {
        let config = interview_bot::config::Config::default();
        run_on(
            args,
            &config,
            Arc::new(common::mini_bank()),
            store,
            terminal,
        )
        .await
    });
    let mut seen = String::new();
    for n in 1..=2 {
        printed_until(&mut printed, &mut seen, &format!("Question {n} of 2")).await;
        clock.advance(Duration::from_secs(24));
        printed_until(&mut printed, &mut seen, "⏰").await;
        seen = seen.replace('⏰', "(reminded)");
        clock.advance(Duration::from_secs(6));
    }
    let status = tokio::time::timeout(Duration::from_secs(20), session)
        .await
        .expect("the session ended on its own")
        .expect("no panic")
        .expect("no error");
    while let Ok(chunk) = printed.try_recv() {
        seen.push_str(&chunk);
    }
    drop(typed);
    assert_eq!(status, std::process::ExitCode::SUCCESS);
    assert_eq!(
        seen.matches("Time is up, and nothing was typed").count(),
        2,
        "{seen}"
    );
    assert!(seen.contains("Summary (finished)"), "{seen}");
    let rows = tokio::task::spawn_blocking(move || {
        query(&db, "SELECT outcome, score FROM asked_questions")
    })
    .await
    .expect("query");
    assert_eq!(rows, vec![vec!["unanswered".to_string(), "0".into()]; 2]);
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
        "error: --questions must be a whole number from 1 to 20, not 0"
    );

    // Numbers out of range: one line naming the flag and the range, exit 1,
    // and nothing started (no panic, no backtrace).
    for (flag, value, range) in [
        ("--minutes", "1200000", "1 to 60 minutes"),
        ("--minutes", "0", "1 to 60 minutes"),
        ("--seconds", "0", "0.1 to 3600 seconds"),
        ("--seconds", "inf", "0.1 to 3600 seconds"),
        ("--questions", "21", "from 1 to 20"),
    ] {
        let out = bot(dir.path())
            .args(["practice", flag, value])
            .stdin(Stdio::null())
            .output()
            .expect("runs");
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{flag} {value}: {err}");
        assert!(
            err.starts_with(&format!("error: {flag} must be ")) && err.contains(range),
            "{flag} {value}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(text(&out.stdout).is_empty(), "{}", text(&out.stdout));
    }

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
    // The hint is printed only after the line before it was stored, so
    // reading it (blocking, bounded) means the answer is in the database.
    stdin
        .write_all(b"spinning blue gizmo\n/hint\n")
        .expect("write");
    stdin.flush().expect("flush");
    let db = dir.path().join("data/interview-bot.db");
    let mut stdout = child.stdout.take().expect("stdout");
    let (lines_tx, lines_rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 {
                break;
            }
            all.push_str(&String::from_utf8_lossy(&buf[..n]));
            let _ = lines_tx.send(all.clone());
        }
        all
    });
    loop {
        let so_far = lines_rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the hint was printed");
        if so_far.contains("Hint 1") {
            break;
        }
    }
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill")
        .success());
    // Bounded, so a missed signal fails the test instead of hanging the suite.
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().expect("waits") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("practice did not stop on Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    drop(stdin);
    let stdout = reader.join().expect("reader");
    assert!(status.success(), "{stdout}");
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
