//! Who may press what, and presses that arrive twice or too late.

mod support;

use interview_bot::interview::Outcome;
use serde_json::json;
use support::*;

async fn results_of(world: &World, user: u64) -> Vec<Option<Outcome>> {
    let store = world.store().await;
    let id = store
        .find_discord_user(user)
        .await
        .expect("query")
        .expect("user exists");
    let session = store
        .running_solo(id, Some(world.discord.guild_id()))
        .await
        .expect("query")
        .expect("running");
    let s = store
        .load_session(session)
        .await
        .expect("query")
        .expect("session");
    s.state.results.iter().map(|r| r.outcome).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_button_pressed_by_someone_else_gets_not_yours_and_changes_nothing() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let (_thread, q1) = world
        .start_interview(
            d.alice(),
            &[("topic", json!(TOPIC)), ("questions", json!(2))],
        )
        .await;

    for action in ["skip", "ans", "h0", "note", "end"] {
        let press = world.press(d.bob(), &q1, action);
        let answer = press.response(T).await;
        assert_eq!(answer.kind, 4, "{action}");
        assert_eq!(answer.data["flags"], 64, "{action}: ephemeral");
        assert!(
            answer.data["content"]
                .as_str()
                .unwrap_or("")
                .contains("not yours"),
            "{action}: {}",
            answer.data
        );
    }
    assert_eq!(
        results_of(&world, d.alice()).await,
        [None],
        "question 1 still open"
    );
    assert_eq!(d.message(q1.id).expect("q1").edit_count, 0);
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_quick_presses_of_one_button_act_once() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let alice = d.alice();
    let (thread, q1) = world
        .start_interview(alice, &[("topic", json!(TOPIC)), ("questions", json!(3))])
        .await;

    // Both presses are sent before the bot answers either.
    let first = world.press(alice, &q1, "skip");
    let second = world.press(alice, &q1, "skip");
    let (a, b) = (first.response(T).await, second.response(T).await);
    let ephemeral = [&a, &b].iter().filter(|c| c.data["flags"] == 64).count();
    assert_eq!(
        ephemeral, 1,
        "one press acts, the other is told: {a:?} {b:?}"
    );
    assert_eq!(
        results_of(&world, alice).await,
        [Some(Outcome::Skipped), None],
        "only question 1 was skipped"
    );

    // A double hint shows one hint.
    let q2 = world.message_with(thread, "Question 2 of 3").await;
    let h1 = world.press(alice, &q2, "h0");
    let h2 = world.press(alice, &q2, "h0");
    let (a, b) = (h1.response(T).await, h2.response(T).await);
    assert_eq!([a.kind, b.kind].iter().filter(|k| **k == 7).count(), 1);

    // A press on a question that is over does nothing harmful.
    let stale = world.press(alice, &q1, "skip");
    let answer = stale.response(T).await;
    assert_eq!(answer.data["flags"], 64);
    assert!(answer.data["content"]
        .as_str()
        .unwrap_or("")
        .contains("closed"));
    assert_eq!(
        results_of(&world, alice).await,
        [Some(Outcome::Skipped), None]
    );
    d.assert_clean();
}
