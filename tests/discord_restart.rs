//! A restart or a gateway drop in the middle of an interview loses nothing.

mod support;

use interview_bot::interview::{Outcome, Status};
use interview_bot::store::StoredSession;
use interview_bot::time::Clock;
use serde_json::json;
use std::time::Duration;
use support::*;

async fn session_of(world: &World, user: u64) -> StoredSession {
    let store = world.store().await;
    let id = store
        .find_discord_user(user)
        .await
        .expect("query")
        .expect("user exists");
    let history = store.history(id, 1).await.expect("history");
    store
        .load_session(history[0].session_id)
        .await
        .expect("query")
        .expect("session")
}

fn texts_in(d: &StandIn, thread: u64) -> Vec<String> {
    d.messages_in(thread).iter().map(|m| m.text()).collect()
}

/// The bot's "was restarted" notices in `thread`.
fn notices_in(d: &StandIn, thread: u64) -> usize {
    texts_in(d, thread)
        .iter()
        .filter(|t| t.contains("was restarted"))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_restart_rearms_every_deadline_before_it_posts_any_notice() {
    let mut world = World::start(BotKnobs::default()).await;
    let people = [
        world.discord.alice(),
        world.discord.bob(),
        world.discord.carol(),
    ];
    let mut threads = Vec::new();
    for who in people {
        let options = [("topic", json!(TOPIC)), ("questions", json!(2))];
        threads.push(world.start_interview(who, &options).await.0);
    }
    world.stop_bot().await;

    // Every message post of the new bot stays in flight until released.
    world.discord.hold_messages(None);
    world.start_bot().await;
    world.discord.wait_for_held_messages(None, 1, T).await;
    let runtime = world.bot.as_ref().expect("a bot runs").runtime();
    assert_eq!(runtime.armed(), 3, "armed while a notice waits");
    assert!(world.discord.held_messages(None) >= 1);
    assert!(
        threads.iter().all(|t| notices_in(&world.discord, *t) == 0),
        "no notice got through yet"
    );

    world.discord.release_messages(None);
    for thread in &threads {
        let notice = world.message_with(*thread, "was restarted").await;
        assert!(notice.text().contains("still closes"), "{}", notice.text());
    }
    for thread in &threads {
        assert_eq!(
            notices_in(&world.discord, *thread),
            1,
            "one notice a thread"
        );
    }
    world.discord.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn after_a_restart_an_overdue_question_closes_with_no_notice_and_an_open_one_gets_one() {
    // 120 s questions: alice's closes at 120 s, bob's (started at 30 s) at
    // 150 s with its reminder at 126 s.
    let mut world = World::start(BotKnobs::default()).await;
    let (alice, bob) = (world.discord.alice(), world.discord.bob());
    let options = [("topic", json!(TOPIC)), ("questions", json!(2))];
    let (overdue, _) = world.start_interview(alice, &options).await;
    world.advance(Duration::from_secs(30));
    let (open, _) = world.start_interview(bob, &options).await;
    world.stop_bot().await;

    // The next process reads its own clock, 91 s later: alice's deadline has
    // passed while no bot ran. (Advancing the shared clock instead would
    // also wake the stopped bot's scheduler, whose runtime may not be
    // dropped yet.)
    world.clock = Clock::manual(world.clock.now().plus(Duration::from_secs(91)));
    assert_eq!(
        session_of(&world, alice).await.state.results[0].outcome,
        None
    );

    world.start_bot().await;
    let d = &world.discord;
    let q2 = world.message_with(overdue, "Question 2 of 2").await;
    assert!(q2.text().contains("Time is up"), "{}", q2.text());
    assert_eq!(
        session_of(&world, alice).await.state.results[0].outcome,
        Some(Outcome::Unanswered)
    );
    let notice = world.message_with(open, "was restarted").await;
    assert!(notice.text().contains("still closes"), "{}", notice.text());
    // The timeout and the next question say what happened: no notice too.
    assert_eq!(notices_in(d, overdue), 0, "{:#?}", texts_in(d, overdue));

    // The new bot takes presses on the resumed question.
    let skip = world.press(alice, &q2, "skip");
    assert_eq!(skip.response(T).await.kind, 4);
    world.message_with(overdue, "Summary (finished)").await;
    assert_eq!(
        session_of(&world, alice).await.state.status,
        Status::Finished
    );
    assert_eq!(notices_in(d, open), 1, "{:#?}", texts_in(d, open));
    assert_eq!(d.identify_count(), 2, "one IDENTIFY per bot");
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_overdue_question_the_database_refuses_at_start_up_is_retried_and_then_closes() {
    let mut world = World::start(BotKnobs::default()).await;
    let alice = world.discord.alice();
    let options = [("topic", json!(TOPIC)), ("questions", json!(2))];
    let (thread, _) = world.start_interview(alice, &options).await;
    let id = session_of(&world, alice).await.id;
    world.stop_bot().await;
    world.clock = Clock::manual(world.clock.now().plus(Duration::from_secs(121)));

    // Every update of a session fails, as with a database that cannot take
    // the write, while the new bot starts.
    let other = sqlx::SqlitePool::connect(&format!("sqlite://{}", world.db.display()))
        .await
        .expect("second connection");
    sqlx::query(
        "CREATE TRIGGER injected BEFORE UPDATE ON sessions BEGIN SELECT RAISE(ABORT, 'injected'); END",
    )
    .execute(&other)
    .await
    .expect("trigger");
    world.start_bot().await;
    let runtime = world.bot.as_ref().expect("a bot runs").runtime();
    let retry_at = world.clock.now().plus(Duration::from_secs(1));
    let until = tokio::time::Instant::now() + T;
    while runtime.armed_at(id) != Some(retry_at) {
        assert!(
            tokio::time::Instant::now() < until,
            "no retry armed: {:?}",
            runtime.armed_at(id)
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(
        session_of(&world, alice).await.state.results[0].outcome,
        None
    );

    sqlx::query("DROP TRIGGER injected")
        .execute(&other)
        .await
        .expect("drop trigger");
    world.advance(Duration::from_secs(1));
    let q2 = world.message_with(thread, "Question 2 of 2").await;
    assert!(q2.text().contains("Time is up"), "{}", q2.text());
    assert_eq!(notices_in(&world.discord, thread), 0);
    world.discord.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn after_a_restart_an_open_question_keeps_its_deadline_and_its_buttons() {
    let mut world = World::start(BotKnobs::default()).await;
    let alice = world.discord.alice();
    let (thread, q1) = world
        .start_interview(alice, &[("topic", json!(TOPIC)), ("questions", json!(2))])
        .await;
    let before = session_of(&world, alice).await;
    world.stop_bot().await;
    world.start_bot().await;

    let notice = world.message_with(thread, "restarted").await;
    assert!(notice.text().contains("still closes"), "{}", notice.text());
    let after = session_of(&world, alice).await;
    assert_eq!(after.state.phase, before.state.phase, "same deadline");

    let feedback = world
        .answer(alice, &q1, "Lists are mutable; tuples are not.")
        .await;
    assert!(
        feedback.text().contains("Answer received"),
        "{}",
        feedback.text()
    );
    world.discord.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_gateway_drop_mid_interview_is_resumed_and_the_press_made_meanwhile_counts() {
    let world = World::start_with(
        StandInConfig {
            heartbeat_interval: Duration::from_millis(1000),
            ..StandInConfig::default()
        },
        BotKnobs::default(),
    )
    .await;
    let d = &world.discord;
    let alice = d.alice();
    let (thread, q1) = world
        .start_interview(alice, &[("topic", json!(TOPIC)), ("questions", json!(2))])
        .await;

    assert!(d.force_close_gateway(4000));
    // Pressed while the bot is disconnected: replayed on RESUME.
    let skip = world.press(alice, &q1, "skip");
    d.wait_for_resume(1, T).await;
    assert_eq!(skip.response(T).await.kind, 4);
    let q2 = world.message_with(thread, "Question 2 of 2").await;

    let feedback = world
        .answer(alice, &q2, "A decorator wraps a function.")
        .await;
    assert!(feedback.text().contains("Answer received"));
    assert_eq!(d.identify_count(), 1, "resumed, not re-identified");
    assert_eq!(
        session_of(&world, alice).await.state.results[0].outcome,
        Some(Outcome::Skipped)
    );
    d.assert_clean();
}
