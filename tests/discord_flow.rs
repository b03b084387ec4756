//! Interview details beyond the main path: rating timeout, typed answers,
//! ending early, private threads, errors and a slow database.

mod support;

use interview_bot::interview::{Outcome, Status};
use serde_json::json;
use std::time::Duration;
use support::discord_standin::perms;
use support::*;

async fn last_session(world: &World, user: u64) -> interview_bot::store::StoredSession {
    let store = world.store().await;
    let id = store.find_discord_user(user).await.unwrap().unwrap();
    let h = store.history(id, 1).await.unwrap();
    store.load_session(h[0].session_id).await.unwrap().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn without_a_rating_the_interview_moves_on_when_the_rating_window_closes() {
    // The default two-minute window, passed on the world's manual clock.
    let world = World::start(BotKnobs::default()).await;
    let alice = world.discord.alice();
    let (thread, q1) = world
        .start_interview(alice, &[("topic", json!(TOPIC)), ("questions", json!(2))])
        .await;
    let feedback = world.answer(alice, &q1, "Mutable versus immutable.").await;
    assert_eq!(feedback.custom_ids().len(), 5);
    // Nobody rates: when the window closes, the next question arrives as a
    // channel message.
    world.advance(Duration::from_secs(121));
    let q2 = world.message_with(thread, "Question 2 of 2").await;
    assert_eq!(q2.source, support::discord_standin::MessageSource::Channel);
    let s = last_session(&world, alice).await;
    assert_eq!(s.state.results[0].self_rating, None);
    assert!(s.state.results[0].finalised);

    // A late press on the rating buttons changes nothing.
    let late = world.press(alice, &feedback, "r5");
    let cb = late.response(T).await;
    assert_eq!(cb.data["flags"], 64);
    assert_eq!(
        last_session(&world, alice).await.state.results[0].self_rating,
        None
    );
    world.discord.assert_clean();
}

/// Types `part` in the thread as `user` and waits (bounded) until it is in
/// their first question's stored answer: serenity handles events
/// concurrently, so each part is awaited, as a person typing leaves time
/// between messages.
async fn typed_and_stored(world: &World, user: u64, thread: u64, part: &str) {
    world.discord.user_message(user, thread, part);
    let deadline = tokio::time::Instant::now() + T;
    while !last_session(world, user).await.state.results[0]
        .answer
        .contains(part)
    {
        assert!(tokio::time::Instant::now() < deadline, "{part:?} stored");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn with_message_content_typed_messages_are_the_answer_and_submit_closes_it() {
    let world = World::start(BotKnobs {
        message_content: true,
        ..BotKnobs::default()
    })
    .await;
    let d = &world.discord;
    let alice = d.alice();
    let (thread, q1) = world
        .start_interview(alice, &[("topic", json!(TOPIC)), ("questions", json!(1))])
        .await;
    d.user_message(d.bob(), thread, "bob is not the candidate");
    for part in ["first part of my answer", "second part"] {
        typed_and_stored(&world, alice, thread, part).await;
    }
    let submit = world.press(alice, &q1, "sub");
    assert_eq!(submit.response(T).await.kind, 4);
    let s = last_session(&world, alice).await;
    assert_eq!(s.state.results[0].outcome, Some(Outcome::Answered));
    assert_eq!(
        s.state.results[0].answer,
        "first part of my answer\nsecond part"
    );
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn status_end_button_and_end_command_close_the_interview_with_a_summary() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let (alice, bob) = (d.alice(), d.bob());

    let (thread, q1) = world
        .start_interview(alice, &[("topic", json!(TOPIC)), ("questions", json!(3))])
        .await;
    let status = d.slash_command(alice, d.channel_id(), "interview status", &[]);
    let m = status.original_message(T).await;
    assert!(
        m.is_ephemeral() && m.text().contains("Question 1 of 3"),
        "{}",
        m.text()
    );
    let end = world.press(alice, &q1, "end");
    assert_eq!(end.response(T).await.kind, 4);
    world.message_with(thread, "Summary (finished)").await;
    d.wait_until(T, "archived", |st| {
        st.channel(thread).filter(|c| c.archived).map(|_| ())
    })
    .await;
    assert_eq!(
        last_session(&world, alice).await.state.status,
        Status::Finished
    );

    let (thread, _) = world
        .start_interview(bob, &[("topic", json!(TOPIC)), ("questions", json!(2))])
        .await;
    let end = d.slash_command(bob, d.channel_id(), "interview end", &[]);
    assert!(end.original_message(T).await.content().contains("summary"));
    world.message_with(thread, "Summary (finished)").await;
    let none = d.slash_command(bob, d.channel_id(), "interview status", &[]);
    assert!(none
        .original_message(T)
        .await
        .content()
        .contains("no interview running"));
    assert_no_pings(d);
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_private_interview_gets_a_private_thread_when_the_bot_may_open_one() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let (thread, _) = world
        .start_interview(
            d.alice(),
            &[("topic", json!(TOPIC)), ("private", json!(true))],
        )
        .await;
    let t = d.channel(thread).expect("thread");
    assert_eq!(t.kind, 12, "private thread");
    assert!(t.members.contains(&d.alice()));

    d.set_bot_permissions(perms::BOT_DEFAULT & !perms::CREATE_PRIVATE_THREADS);
    let cmd = d.slash_command(
        d.bob(),
        d.channel_id(),
        "interview start",
        &[("topic", json!(TOPIC)), ("private", json!(true))],
    );
    let reply = cmd.original_message(T).await;
    assert!(
        reply.content().contains("public one"),
        "{}",
        reply.content()
    );
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_internal_error_gets_a_short_apology_not_a_rust_error() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", world.db.display()))
        .await
        .expect("connect");
    sqlx::query("DROP TABLE notes")
        .execute(&pool)
        .await
        .expect("drop");
    let add = d.slash_command(
        d.alice(),
        d.channel_id(),
        "note add",
        &[("text", json!("x"))],
    );
    let m = add.original_message(T).await;
    assert!(m.is_ephemeral());
    assert!(
        m.content().starts_with("Sorry, something went wrong"),
        "{}",
        m.content()
    );
    assert!(!m.content().contains("no such table"), "{}", m.content());
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_press_is_acknowledged_within_three_seconds_while_the_database_is_busy() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let alice = d.alice();
    let (thread, q1) = world
        .start_interview(alice, &[("topic", json!(TOPIC)), ("questions", json!(2))])
        .await;
    // Another writer holds the database for longer than Discord waits.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", world.db.display()))
        .await
        .expect("connect");
    let mut conn = pool.acquire().await.expect("conn");
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut *conn)
        .await
        .expect("lock");
    let skip = world.press(alice, &q1, "skip");
    let cb = skip.response(T).await;
    assert_eq!(cb.kind, 6, "acknowledged first");
    assert!(cb.after < Duration::from_secs(3), "{:?}", cb.after);
    sqlx::query("COMMIT")
        .execute(&mut *conn)
        .await
        .expect("unlock");
    // The result follows through the interaction's token.
    skip.wait_for_followups(1, T).await;
    world.message_with(thread, "Question 2 of 2").await;
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_minutes_option_sets_the_time_of_questions_without_their_own_limit() {
    let world = World::start(BotKnobs {
        question_seconds: None,
        ..BotKnobs::default()
    })
    .await;
    let alice = world.discord.alice();
    world
        .start_interview(alice, &[("topic", json!(TOPIC)), ("minutes", json!(2))])
        .await;
    let s = last_session(&world, alice).await;
    let cur = s.state.current().expect("question 1");
    let bank = interview_bot::bank::load(&bank_dir()).expect("bank");
    let own = bank
        .question(&cur.question_id)
        .and_then(|q| q.time_limit_minutes);
    let expected = own.map(|m| i64::from(m) * 60_000).unwrap_or(120_000);
    assert_eq!(cur.deadline.0 - cur.asked_at.0, expected);
    world.discord.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn unknown_topics_in_other_commands_say_which_exist() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let q = d.slash_command(
        d.alice(),
        d.channel_id(),
        "question",
        &[("topic", json!("cobol"))],
    );
    let cb = q.response(T).await;
    assert_eq!(cb.data["flags"], 64);
    let text = cb.data["content"].as_str().unwrap_or_default().to_string();
    assert!(text.contains("cobol") && text.contains(TOPIC), "{text}");
    let board = d.slash_command(
        d.alice(),
        d.channel_id(),
        "leaderboard",
        &[("topic", json!("cobol"))],
    );
    let m = board.original_message(T).await;
    assert!(m.is_ephemeral());
    assert!(m.content().contains("Unknown topic"), "{}", m.content());
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_message_typed_before_the_current_question_was_asked_is_not_added_to_it() {
    let world = World::start(BotKnobs {
        message_content: true,
        ..BotKnobs::default()
    })
    .await;
    let d = &world.discord;
    let alice = d.alice();
    let (thread, _q1) = world
        .start_interview(alice, &[("topic", json!(TOPIC)), ("questions", json!(2))])
        .await;
    typed_and_stored(&world, alice, thread, "meant for question one").await;
    // Question 1's deadline passes: question 2 is asked at the bot's "now",
    // later than any message the stand-in stamps from here on, as a message
    // typed under question 1 and delivered after its deadline would be.
    world.advance(Duration::from_secs(121));
    world.message_with(thread, "Time is up").await;
    world.advance(Duration::from_secs(121)); // and the rating window
    world.message_with(thread, "Question 2 of 2").await;
    d.user_message(alice, thread, "late words for question one");
    for _ in 0..20 {
        tokio::time::sleep(Duration::from_millis(25)).await;
        let s = last_session(&world, alice).await;
        assert_eq!(s.state.results[1].answer, "", "question 2 stays empty");
    }
    let s = last_session(&world, alice).await;
    assert_eq!(s.state.results[0].answer, "meant for question one");
    d.assert_clean();
}
