//! Spaced review, export and the chart in the terminal: in process on a
//! manual clock (days pass when the test says), and through the binary.

mod common;

use interview_bot::cli::{PracticeArgs, ReviewArgs};
use interview_bot::config::Config;
use interview_bot::store::Store;
use interview_bot::terminal::practice::Terminal;
use interview_bot::time::{Clock, Timestamp};
use std::io::Write;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::bot_command as bot;

/// What a session printed, kept for the test.
#[derive(Clone, Default)]
struct Out(Arc<Mutex<Vec<u8>>>);

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Out {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("lock")).into_owned()
    }
}

/// A terminal that types `lines` and then closes its input.
fn terminal(clock: &Clock, lines: &[&str]) -> (Terminal<Out>, Out) {
    let (tx, rx) = tokio::sync::mpsc::channel(64);
    for l in lines {
        tx.try_send(l.to_string()).expect("room");
    }
    let out = Out::default();
    (
        Terminal {
            clock: clock.clone(),
            lines: rx,
            out: out.clone(),
        },
        out,
    )
}

fn review_args() -> ReviewArgs {
    ReviewArgs {
        questions: Some(5),
        minutes: None,
        seconds: Some(60.0),
        user: Some("tester".into()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missed_question_comes_back_in_review_and_covering_it_resolves_its_note() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("r.db");
    let clock = Clock::manual(Timestamp::system_now());
    let bank = Arc::new(common::mini_bank());
    let config = Config::default();
    // beta-easy, answered with one of its two key points and rated 2.
    let practice = PracticeArgs {
        topics: vec!["beta".into()],
        difficulty: "easy".into(),
        questions: Some(1),
        minutes: None,
        seconds: Some(60.0),
        seed: Some(1),
        user: Some("tester".into()),
        ai: false,
    };
    let store = Store::open(&db).await.expect("opens");
    let (t, out) = terminal(&clock, &["A flange joins pipes.", "", "2"]);
    interview_bot::terminal::practice::run_on(practice, &config, Arc::clone(&bank), store, t)
        .await
        .expect("practice runs");
    assert!(out.text().contains("Flanges are bolted"), "{}", out.text());

    // Straight away nothing is scheduled, but beta is a weak topic: its
    // unanswered question stands in.
    let store = Store::open(&db).await.expect("opens");
    let (t, out) = terminal(&clock, &[]);
    interview_bot::terminal::review::run_on(review_args(), &config, Arc::clone(&bank), store, t)
        .await
        .expect("review runs");
    assert!(
        out.text()
            .contains("Beta: new, from one of your weakest topics"),
        "{}",
        out.text()
    );

    // Two days on, beta-easy is due with its open note; covering the
    // missed point resolves the note and says so.
    clock.advance(Duration::from_secs(2 * 86_400));
    let store = Store::open(&db).await.expect("opens");
    let (t, out) = terminal(
        &clock,
        &["Flanges are bolted together and join pipes.", "", "5"],
    );
    interview_bot::terminal::review::run_on(review_args(), &config, Arc::clone(&bank), store, t)
        .await
        .expect("review runs");
    let text = out.text();
    assert!(text.contains("question(s) due."), "{text}");
    assert!(text.contains("Beta: 1 open note"), "{text}");
    assert!(text.contains("What is a flange?"), "{text}");
    assert!(
        text.contains("is resolved: this answer covered it (Review (Beta): Flanges are bolted.)"),
        "{text}"
    );
    let store = Store::open(&db).await.expect("opens");
    let user = store.local_user("tester").await.expect("user");
    let open = store
        .notes(user, None, interview_bot::store::NoteFilter::Open, 10)
        .await
        .expect("notes");
    assert!(open.iter().all(|n| !n.text.contains("bolted")), "{open:?}");
}

fn run(cmd: &mut Command, input: &str) -> (bool, String, String) {
    let out = common::run_with_input(cmd, input);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn review_with_nothing_answered_says_so_and_offers_practice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (ok, out, err) = run(bot(dir.path()).args(["review"]), "");
    assert!(ok, "{err}");
    assert!(out.contains("Nothing is due for review."), "{out}");
    assert!(out.contains("interview-bot practice"), "{out}");
}

#[test]
fn export_writes_the_stored_session_and_stats_draws_the_chart() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Before any answer: a friendly word, no file.
    let png = dir.path().join("progress.png");
    let (ok, out, err) = run(bot(dir.path()).args(["stats", "--chart"]).arg(&png), "");
    assert!(ok, "{err}");
    assert!(out.contains("No chart yet"), "{out}");
    assert!(!png.exists());

    let (ok, _, err) = run(
        bot(dir.path()).args([
            "practice",
            "--topic",
            "beta",
            "--difficulty",
            "easy",
            "--questions",
            "1",
            "--seconds",
            "60",
        ]),
        "A flange joins pipes, with a bolt.\n\n4\n",
    );
    assert!(ok, "{err}");
    let (ok, md, err) = run(bot(dir.path()).args(["export", "1"]), "");
    assert!(ok, "{err}");
    for needle in [
        "# Interview #1 · tester",
        "What is a flange?",
        "> A flange joins pipes, with a bolt.",
        "- [x] Flanges join pipes.",
        "- [x] Flanges are bolted.",
        "A flange joins pipes and is bolted.",
        "**Score:** 88/100",
    ] {
        assert!(md.contains(needle), "lacks {needle:?}:\n{md}");
    }
    let csv_file = dir.path().join("one.csv");
    let (ok, said, err) = run(
        bot(dir.path())
            .args(["export", "1", "--format", "csv", "--output"])
            .arg(&csv_file),
        "",
    );
    assert!(ok, "{err}");
    assert!(said.contains("written to"), "{said}");
    let csv = std::fs::read_to_string(&csv_file).expect("written");
    assert!(
        csv.lines()
            .nth(1)
            .expect("a row")
            .starts_with("1,beta-easy,Beta,easy,answered,88,"),
        "{csv}"
    );
    // Someone else's: refused, exit 1.
    let (ok, _, err) = run(
        bot(dir.path()).args(["export", "1", "--user", "mallory"]),
        "",
    );
    assert!(!ok);
    assert!(err.contains("not one of yours"), "{err}");
    let (ok, _, err) = run(bot(dir.path()).args(["export", "1", "--format", "pdf"]), "");
    assert!(!ok);
    assert!(err.contains("use md or csv"), "{err}");

    let (ok, out, err) = run(bot(dir.path()).args(["stats", "--chart"]).arg(&png), "");
    assert!(ok, "{err}");
    assert!(out.contains("Chart written to"), "{out}");
    let bytes = std::fs::read(&png).expect("chart written");
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buf).expect("decodes");
    assert_eq!((frame.width, frame.height), (800, 500));
}
