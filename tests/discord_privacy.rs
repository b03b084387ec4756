//! `/privacy delete` while the person is in a running interview or panel
//! (issue 11): they leave it, the rest goes on and finishes, and nothing of
//! them stays in the database.

mod support;

use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use support::*;

/// Everything the bot logs in this test binary (its tests share one
/// process, so a failure in any of them shows up in each).
fn log() -> Arc<Mutex<Vec<u8>>> {
    static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    Arc::clone(LOG.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&buffer);
        let _ = tracing_subscriber::fmt()
            .with_env_filter("interview_bot=info")
            .with_ansi(false)
            .with_writer(move || Sink(Arc::clone(&sink)))
            .try_init();
        buffer
    }))
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn assert_log_clean() {
    let log = log();
    let text = String::from_utf8_lossy(&log.lock().unwrap_or_else(|p| p.into_inner())).to_string();
    assert!(
        !text.contains("FOREIGN KEY") && !text.contains("ERROR"),
        "the log has errors:\n{text}"
    );
    assert!(
        text.contains("a person's data was deleted"),
        "the deletion ran through the runtime:\n{text}"
    );
}

/// Scores the question on `message` through its Score modal.
async fn score(world: &World, interviewer: u64, message: &StoredMessage, note: &str) {
    let d = &world.discord;
    let open = world.press(interviewer, message, "score");
    open.modal(T).await;
    let submit = d.submit_modal(
        &open,
        &[
            ("technical", "4"),
            ("communication", "3"),
            ("problem_solving", "5"),
            ("note", note),
        ],
    );
    submit.response(T).await;
}

/// `user` runs /privacy delete and confirms; returns what they were shown.
async fn delete_my_data(world: &World, user: u64) -> String {
    let d = &world.discord;
    let ask = d.slash_command(user, d.channel_id(), "privacy delete", &[]);
    let prompt = ask.original_message(T).await;
    assert!(prompt.is_ephemeral());
    let confirm = d.press_button(user, prompt.id, &prompt.custom_ids()[0]);
    let r = confirm.response(T).await;
    assert_eq!(r.kind, 7, "{}", r.data);
    r.data.to_string()
}

async fn db(world: &World) -> sqlx::SqlitePool {
    sqlx::SqlitePool::connect(&format!("sqlite://{}", world.db.display()))
        .await
        .expect("db")
}

/// Every row of every table, each as one line of text.
async fn every_row(pool: &sqlx::SqlitePool) -> Vec<String> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table'
           AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
    )
    .fetch_all(pool)
    .await
    .expect("tables");
    let mut rows = Vec::new();
    for table in tables {
        let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info($1)")
            .bind(&table)
            .fetch_all(pool)
            .await
            .expect("columns");
        let line = columns
            .iter()
            .map(|c| format!("COALESCE(CAST(\"{c}\" AS TEXT), '')"))
            .collect::<Vec<_>>()
            .join(" || ' | ' || ");
        let text: Vec<String> =
            sqlx::query_scalar(&format!("SELECT '{table}: ' || {line} FROM {table}"))
                .fetch_all(pool)
                .await
                .expect("rows");
        rows.extend(text);
    }
    rows
}

/// The store's id of a Discord user (before they are deleted).
async fn user_id(pool: &sqlx::SqlitePool, discord_id: u64) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE discord_id = $1")
        .bind(discord_id as i64)
        .fetch_one(pool)
        .await
        .expect("the user exists")
}

/// Fails if any row holds `name` (any case), a `secret` or the Discord id,
/// or a stored state still holds the store's id as a person.
async fn assert_forgotten(
    pool: &sqlx::SqlitePool,
    name: &str,
    secrets: &[&str],
    discord_id: u64,
    id: i64,
) {
    let rows = every_row(pool).await;
    assert!(!rows.is_empty());
    let discord = discord_id.to_string();
    for row in &rows {
        let lower = row.to_lowercase();
        assert!(!lower.contains(&name.to_lowercase()), "{name} in {row}");
        assert!(!row.contains(&discord), "{name}'s Discord id in {row}");
        for s in secrets {
            assert!(!row.contains(s), "{s:?} in {row}");
        }
    }
    let states: Vec<String> = sqlx::query_scalar("SELECT state FROM sessions")
        .fetch_all(pool)
        .await
        .expect("states");
    for state in &states {
        for key in ["user", "candidate", "interviewer", "owner"] {
            let field = format!("\"{key}\":{id}");
            let held = state
                .match_indices(&field)
                .any(|(i, m)| matches!(state[i + m.len()..].chars().next(), Some(',' | '}')));
            assert!(!held, "{field} in {state}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_candidate_who_deletes_their_data_leaves_the_panel_which_finishes_without_them() {
    log();
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let (alice, bob, carol, dave) = (d.alice(), d.bob(), d.carol(), d.dave());
    let (thread, q1) = run_panel(&world, alice, 2, &[bob, carol], &[dave]).await;
    assert!(q1.text().contains("for Bob"), "{}", q1.text());
    let bobs_answer = "Lists are mutable, tuples are immutable: zebra-umbrella";
    let answer = world.answer(bob, &q1, bobs_answer).await;
    score(&world, dave, &answer, "Bob should slow down").await;
    let q2 = world
        .message_with(thread, "Question 2 of 4 · for Carol")
        .await;
    let pool = db(&world).await;
    let bobs_id = user_id(&pool, bob).await;

    let shown = delete_my_data(&world, bob).await;
    assert!(shown.contains("Your data is deleted"), "{shown}");
    assert!(shown.contains("You left the interview"), "{shown}");
    let left = world.message_with(thread, "left the panel").await;
    assert!(
        left.text()
            .contains("(deleted member) left the panel; their remaining questions are dropped"),
        "{}",
        left.text()
    );

    // Carol's turn goes on; Bob's second turn is passed over; the panel ends.
    let answer = world
        .answer(carol, &q2, "A decorator wraps a function.")
        .await;
    score(&world, dave, &answer, "").await;
    let q4 = world
        .message_with(thread, "Question 4 of 4 · for Carol")
        .await;
    let answer = world
        .answer(carol, &q4, "A generator yields values lazily.")
        .await;
    score(&world, dave, &answer, "Carol was clear").await;
    let summary = world.message_with(thread, "Panel summary (finished)").await;
    let text = summary.text();
    assert!(text.contains("Carol · summary"), "{text}");
    assert!(
        !text.contains("Bob") && !text.contains("(deleted member)"),
        "{text}"
    );

    assert_forgotten(&pool, "bob", &[bobs_answer, "slow down"], bob, bobs_id).await;
    let positions: Vec<i64> =
        sqlx::query_scalar("SELECT position FROM asked_questions ORDER BY position")
            .fetch_all(&pool)
            .await
            .expect("asked");
    assert_eq!(positions, [1, 3], "only Carol's questions stay");
    let status: String = sqlx::query_scalar("SELECT status FROM sessions")
        .fetch_one(&pool)
        .await
        .expect("status");
    assert_eq!(status, "finished");
    assert_log_clean();
    assert_no_pings(d);
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_interviewer_who_deletes_their_data_is_no_longer_waited_for_and_their_cards_go() {
    log();
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let (alice, bob, carol, dave) = (d.alice(), d.bob(), d.carol(), d.dave());
    let (thread, q1) = run_panel(&world, alice, 1, &[bob, carol], &[dave, alice]).await;
    let answer = world.answer(bob, &q1, "Lists are mutable.").await;
    score(&world, dave, &answer, "Dave's private remark").await;
    score(&world, alice, &answer, "").await;
    let q2 = world
        .message_with(thread, "Question 2 of 2 · for Carol")
        .await;
    let answer = world
        .answer(carol, &q2, "A decorator wraps a function.")
        .await;
    score(&world, alice, &answer, "Alice's note").await;
    let pool = db(&world).await;
    let daves_id = user_id(&pool, dave).await;

    // The panel waits for Dave's card; his deletion closes the question.
    let shown = delete_my_data(&world, dave).await;
    assert!(shown.contains("You left the interview"), "{shown}");
    let left = world.message_with(thread, "left the panel").await;
    let text = left.text();
    assert!(
        text.contains("(deleted member) left the panel; it goes on with the other interviewers"),
        "{text}"
    );
    assert!(
        text.contains("Question 2 for Carol is closed: 1 scorecard(s)"),
        "{text}"
    );
    let summary = world.message_with(thread, "Panel summary (finished)").await;
    let text = summary.text();
    assert!(
        text.contains("Bob · summary") && text.contains("Carol · summary"),
        "{text}"
    );
    assert!(text.contains("Alice: Alice's note"), "{text}");
    assert!(!text.contains("Dave"), "{text}");
    d.wait_until(T, "the thread is archived", |st| {
        st.channels
            .iter()
            .find(|c| c.id == thread && c.archived)
            .map(|_| ())
    })
    .await;

    assert_forgotten(&pool, "dave", &["private remark"], dave, daves_id).await;
    let cards: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ratings")
        .fetch_one(&pool)
        .await
        .expect("ratings");
    assert_eq!(cards, 2, "Alice's two cards stay");
    let notes: Vec<String> =
        sqlx::query_scalar("SELECT text FROM notes WHERE author_id IS NOT NULL")
            .fetch_all(&pool)
            .await
            .expect("notes");
    assert_eq!(notes, ["Alice's note"]);
    assert_log_clean();
    assert_no_pings(d);
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_candidate_who_deletes_their_data_mid_interview_ends_it_with_its_summary() {
    log();
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let (bob, carol) = (d.bob(), d.carol());
    // Carol's interview is someone else's data: it stays as it is.
    world
        .start_interview(carol, &[("topic", json!(TOPIC))])
        .await;
    let (thread, q1) = world
        .start_interview(bob, &[("topic", json!(TOPIC)), ("questions", json!(3))])
        .await;
    let secret = "Lists are mutable: quokka-lantern";
    world.answer(bob, &q1, secret).await;
    let pool = db(&world).await;
    let bobs_id = user_id(&pool, bob).await;

    let shown = delete_my_data(&world, bob).await;
    assert!(shown.contains("You left the interview"), "{shown}");
    let ended = world.message_with(thread, "Summary (finished)").await;
    assert!(
        ended
            .text()
            .contains("The candidate left, so the interview ended"),
        "{}",
        ended.text()
    );
    d.wait_until(T, "the thread is archived", |st| {
        st.channels
            .iter()
            .find(|c| c.id == thread && c.archived)
            .map(|_| ())
    })
    .await;
    assert_forgotten(&pool, "bob", &[secret], bob, bobs_id).await;
    let sessions: Vec<String> = sqlx::query_scalar("SELECT status FROM sessions")
        .fetch_all(&pool)
        .await
        .expect("sessions");
    assert_eq!(sessions, ["running"], "only Carol's interview is left");
    assert_log_clean();
    assert_no_pings(d);
    d.assert_clean();
}
