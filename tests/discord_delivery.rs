//! What timers cause is posted per thread: a slow thread holds up only
//! itself, and each thread's messages keep their order.

mod support;

use serde_json::json;
use std::time::Duration;
use support::*;

/// Texts of the bot's messages in `thread`, oldest first.
fn texts_in(d: &StandIn, thread: u64) -> Vec<String> {
    d.messages_in(thread).iter().map(|m| m.text()).collect()
}

fn position_of(texts: &[String], needle: &str) -> usize {
    texts
        .iter()
        .position(|t| t.contains(needle))
        .unwrap_or_else(|| panic!("no message with {needle:?}: {texts:#?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_slow_thread_holds_up_only_its_own_messages_which_keep_their_order() {
    // 120 s questions: the reminder comes at 96 s, the deadline at 120 s.
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let options = [("topic", json!(TOPIC)), ("questions", json!(2))];
    let (slow, _) = world.start_interview(d.alice(), &options).await;
    let (fast, _) = world.start_interview(d.bob(), &options).await;

    // Every post in alice's thread stays in flight until released.
    d.hold_messages(Some(slow));
    world.advance(Duration::from_secs(97));
    world.message_with(fast, "⏰ Question 1 closes").await;
    d.wait_for_held_messages(Some(slow), 1, T).await;

    // Past the deadline: bob gets his timeout and next question while
    // alice's reminder is still pending, and her timeout waits behind it.
    world.advance(Duration::from_secs(30));
    let q2 = world.message_with(fast, "Question 2 of 2").await;
    assert!(q2.text().contains("Time is up"), "{}", q2.text());
    assert_eq!(
        d.held_messages(Some(slow)),
        1,
        "one post of alice's in flight"
    );
    assert!(
        texts_in(d, slow).iter().all(|t| !t.contains("⏰")),
        "alice's reminder is not through yet"
    );

    d.release_messages(Some(slow));
    world.message_with(slow, "Question 2 of 2").await;
    let texts = texts_in(d, slow);
    assert!(
        position_of(&texts, "⏰ Question 1 closes") < position_of(&texts, "Question 2 of 2"),
        "alice's messages keep their order: {texts:#?}"
    );
    d.assert_clean();
}
