//! The whole solo interview through Discord, against the loopback stand-in.

mod support;

use interview_bot::interview::{Outcome, Status};
use serde_json::json;
use std::time::Duration;
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_solo_interview_runs_from_slash_command_to_archived_summary() {
    // Two minutes a question, on the world's manual clock: the test moves
    // time on when it wants a deadline, so nothing waits for real.
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let alice = d.alice();
    let requests_before = d.requests().len();

    let (thread, q1) = world
        .start_interview(alice, &[("topic", json!(TOPIC)), ("questions", json!(3))])
        .await;
    let t = d.channel(thread).expect("thread exists");
    assert!(t.name.to_lowercase().contains("alice"), "{}", t.name);
    assert!(t.name.to_lowercase().contains("python"), "{}", t.name);
    assert!([60, 1440].contains(&t.auto_archive_duration));
    let q1_text = q1.text();
    assert!(
        q1_text.contains("<t:") && q1_text.contains(":R>"),
        "{q1_text}"
    );
    assert!(q1_text.contains("Difficulty"));

    // Hint: the question message itself shows it (type 7 update).
    let hint = world.press(alice, &q1, "h0");
    assert_eq!(hint.response(T).await.kind, 7);
    let q1_now = d.message(q1.id).expect("question message");
    assert!(q1_now.text().contains("Hints"), "{}", q1_now.text());

    // Answer through the modal: feedback with the model answer behind a
    // spoiler and rating buttons.
    let feedback = world
        .answer(
            alice,
            &q1_now,
            "A list is mutable, a tuple is immutable and hashable; use tuples as dict keys.",
        )
        .await;
    let text = feedback.text();
    assert!(text.contains("Key points covered"), "{text}");
    assert!(text.contains("||"), "model answer behind a spoiler: {text}");
    assert_eq!(feedback.custom_ids().len(), 5, "rating buttons 1-5");

    // Rating moves on to question 2 at once.
    let rate = world.press(alice, &feedback, "r4");
    assert_eq!(rate.response(T).await.kind, 4);
    let q2 = world.message_with(thread, "Question 2 of 3").await;

    // Skip: feedback and question 3 together.
    let skip = world.press(alice, &q2, "skip");
    assert_eq!(skip.response(T).await.kind, 4);
    let _q3 = world.message_with(thread, "Question 3 of 3").await;

    // Question 3 runs out: a reminder, then the timeout and the summary as
    // ordinary channel messages, then the thread is archived.
    world.advance(Duration::from_secs(100));
    world.message_with(thread, "⏰").await;
    world.advance(Duration::from_secs(30));
    let summary = world.message_with(thread, "Summary (finished)").await;
    assert!(summary.text().contains("Time is up"), "{}", summary.text());
    d.wait_until(T, "the thread archived", |st| {
        st.channel(thread).filter(|c| c.archived).map(|_| ())
    })
    .await;

    // The database agrees.
    let store = world.store().await;
    let user = store
        .find_discord_user(alice)
        .await
        .expect("query")
        .expect("alice exists");
    let history = store.history(user, 5).await.expect("history");
    assert_eq!(history.len(), 1);
    let session = store
        .load_session(history[0].session_id)
        .await
        .expect("query")
        .expect("session");
    assert_eq!(session.state.status, Status::Finished);
    assert_eq!(session.thread_id, Some(thread));
    let outcomes: Vec<_> = session.state.results.iter().map(|r| r.outcome).collect();
    assert_eq!(
        outcomes,
        [
            Some(Outcome::Answered),
            Some(Outcome::Skipped),
            Some(Outcome::Unanswered)
        ]
    );
    assert_eq!(session.state.results[0].hints_used, 1);
    assert_eq!(session.state.results[0].self_rating, Some(4));

    // At most 4 REST requests per question outside interaction responses.
    let rest = rest_requests_since(d, requests_before);
    assert!(
        rest.len() <= 4 * 3,
        "{} REST requests: {rest:#?}",
        rest.len()
    );
    assert_no_pings(d);
    d.assert_clean();
    drop(world);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_second_interview_in_the_same_server_is_refused_with_what_to_do() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let (thread, _) = world
        .start_interview(d.bob(), &[("topic", json!(TOPIC))])
        .await;
    let inside = d.slash_command(
        d.carol(),
        thread,
        "interview start",
        &[("topic", json!(TOPIC))],
    );
    let reply = inside.original_message(T).await;
    assert!(
        reply.content().contains("in a text channel"),
        "{}",
        reply.content()
    );
    let again = d.slash_command(
        d.bob(),
        d.channel_id(),
        "interview start",
        &[("topic", json!(TOPIC))],
    );
    let reply = again.original_message(T).await;
    assert!(reply.is_ephemeral());
    assert!(
        reply.content().contains("already have an interview"),
        "{}",
        reply.content()
    );
    assert_eq!(d.threads().len(), 1, "no second thread");

    let unknown = d.slash_command(
        d.carol(),
        d.channel_id(),
        "interview start",
        &[("topic", json!("cobol"))],
    );
    let reply = unknown.original_message(T).await;
    assert!(reply.content().contains("cobol"), "{}", reply.content());
    assert!(!reply.content().contains("Error"), "{}", reply.content());
    d.assert_clean();
}
