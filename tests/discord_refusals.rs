//! Every refusal a person can meet through Discord, through the real bot:
//! the wrong role, the wrong turn, a hint already shown, a question that
//! has closed, a rating window that has closed, an out-of-range option and
//! a missing permission. Each says what to do, ephemerally, and changes
//! nothing in the database.

mod support;

use interview_bot::store::StoredSession;
use serde_json::json;
use support::discord_standin::perms;
use support::*;

async fn session_in(world: &World, thread: u64) -> StoredSession {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", world.db.display()))
        .await
        .expect("db");
    let id: i64 = sqlx::query_scalar("SELECT id FROM sessions WHERE thread_id = $1")
        .bind(thread as i64)
        .fetch_one(&pool)
        .await
        .expect("a session in the thread");
    world
        .store()
        .await
        .load_session(id)
        .await
        .expect("query")
        .expect("session")
}

/// Presses `action` as `user`, expects an ephemeral refusal containing
/// `says`, and checks the stored session did not change.
async fn refused_unchanged(
    world: &World,
    thread: u64,
    user: u64,
    message: &StoredMessage,
    action: &str,
    says: &str,
) {
    let before = session_in(world, thread).await;
    let text = refused(world, user, message, action).await;
    assert!(text.contains(says), "{action}: {text}");
    let after = session_in(world, thread).await;
    assert_eq!(after.version, before.version, "{action}: nothing stored");
    assert_eq!(after.state, before.state, "{action}: state unchanged");
}

async fn sessions_count(world: &World) -> i64 {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", world.db.display()))
        .await
        .expect("db");
    sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(&pool)
        .await
        .expect("count")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_solo_press_on_a_closed_question_a_shown_hint_or_a_closed_rating_is_refused() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let alice = d.alice();
    let (thread, q1) = world
        .start_interview(alice, &[("topic", json!(TOPIC)), ("questions", json!(3))])
        .await;

    // Two quick presses of the hint button as drawn: one hint is shown,
    // the other press is told so.
    let (h1, h2) = (world.press(alice, &q1, "h0"), world.press(alice, &q1, "h0"));
    let (a, b) = (h1.response(T).await, h2.response(T).await);
    let told: Vec<String> = [&a, &b]
        .iter()
        .filter(|r| r.kind == 4)
        .map(|r| r.data["content"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(told.len(), 1, "{a:?} {b:?}");
    assert!(told[0].contains("already shown"), "{}", told[0]);
    assert_eq!(
        session_in(&world, thread).await.state.results[0].hints_used,
        1
    );

    // A question a press has closed: its buttons now refuse.
    world.press(alice, &q1, "skip").response(T).await;
    let q2 = world.message_with(thread, "Question 2 of 3").await;
    for action in ["skip", "ans"] {
        refused_unchanged(&world, thread, alice, &q1, action, "already closed").await;
    }

    // A rating given closes the rating window; the same buttons then refuse.
    let feedback = world.answer(alice, &q2, "a short answer").await;
    assert_eq!(
        world.press(alice, &feedback, "r4").response(T).await.kind,
        4
    );
    world.message_with(thread, "Question 3 of 3").await;
    refused_unchanged(&world, thread, alice, &feedback, "r2", "already rated").await;
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn in_a_panel_the_wrong_role_or_turn_is_told_what_to_do_and_nothing_changes() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let (alice, bob, carol, dave) = (d.alice(), d.bob(), d.carol(), d.dave());
    let (thread, q1) = run_panel(&world, alice, 1, &[bob, carol], &[dave, alice]).await;

    refused_unchanged(&world, thread, carol, &q1, "ans", "It is Bob's turn").await;
    refused_unchanged(&world, thread, carol, &q1, "skip", "It is Bob's turn").await;
    refused_unchanged(
        &world,
        thread,
        dave,
        &q1,
        "ans",
        "Interviewers don't answer",
    )
    .await;
    refused_unchanged(&world, thread, bob, &q1, "score", "Candidates don't score").await;
    refused_unchanged(&world, thread, bob, &q1, "view", "Candidates don't score").await;
    refused_unchanged(&world, thread, d.admin(), &q1, "view", "not in this panel").await;
    refused_unchanged(
        &world,
        thread,
        carol,
        &q1,
        "end",
        "Only the person who created",
    )
    .await;

    // A follow-up is asked once; its button then refuses.
    let view = world.press(dave, &q1, "view").response(T).await;
    assert_eq!(view.kind, 4, "the interviewer view: {}", view.data);
    let view_message = d
        .wait_for_message(thread, T, |m| {
            m.is_ephemeral() && m.text().contains("Key points to listen for")
        })
        .await;
    let asked = world.press(dave, &view_message, "fu0").response(T).await;
    assert!(
        asked.data.to_string().contains("asked in the thread"),
        "{}",
        asked.data
    );
    refused_unchanged(&world, thread, dave, &view_message, "fu0", "already asked").await;
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_unknown_topic_or_a_missing_permission_is_refused_before_anything_is_made() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let start = |options: &[(&str, serde_json::Value)]| {
        d.slash_command(d.alice(), d.channel_id(), "interview start", options)
    };

    // Discord enforces the numeric ranges; the topic is the bot's to check.
    let reply = start(&[("topic", json!("cobol"))])
        .original_message(T)
        .await;
    assert!(reply.is_ephemeral());
    assert!(
        reply.content().contains("Pick one from the list"),
        "{}",
        reply.content()
    );

    d.set_bot_permissions(perms::BOT_DEFAULT & !perms::CREATE_PUBLIC_THREADS);
    let reply = start(&[("topic", json!(TOPIC))]).original_message(T).await;
    assert!(
        reply.content().contains("I may not open threads here"),
        "{}",
        reply.content()
    );
    assert!(d.threads().is_empty(), "no thread was made");
    assert_eq!(sessions_count(&world).await, 0, "no session was stored");
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_session_that_would_be_refused_costs_no_thread() {
    let world = World::start(BotKnobs {
        bank_dir: Some(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini-bank"),
        ),
        ..BotKnobs::default()
    })
    .await;
    let d = &world.discord;
    let from = d.requests().len();
    // The mini bank has no hard beta question.
    let cmd = d.slash_command(
        d.alice(),
        d.channel_id(),
        "interview start",
        &[("topic", json!("beta")), ("difficulty", json!(2))],
    );
    let reply = cmd.original_message(T).await;
    assert!(reply.is_ephemeral());
    assert!(
        reply.content().contains("No hard questions in beta"),
        "says there are no such questions: {}",
        reply.content()
    );
    let rest = rest_requests_since(d, from);
    assert!(
        rest.iter()
            .all(|r| !r.contains("/threads") && !r.starts_with("DELETE")),
        "no thread was created or deleted: {rest:?}"
    );
    assert!(d.threads().is_empty());
    assert_eq!(sessions_count(&world).await, 0);
    d.assert_clean();
}
