//! AI feedback on Discord: the real bot against the Discord stand-in, with
//! a loopback OpenAI-compatible stand-in as the model.

mod support;

use interview_bot::ai::AiConfig;
use serde_json::json;
use support::openai_standin::{Answer, ModelStandIn};
use support::*;

async fn world_with_model(model: &ModelStandIn) -> World {
    World::start(BotKnobs {
        ai: AiConfig {
            base_url: Some(model.base_url()),
            model: "standin-model".into(),
            timeout_seconds: 5.0,
            ..AiConfig::default()
        },
        ..BotKnobs::default()
    })
    .await
}

async fn turn_on(world: &World) -> String {
    let d = &world.discord;
    let on = d.slash_command(
        d.admin(),
        d.channel_id(),
        "config",
        &[("ai_feedback", json!(0))],
    );
    let reply = on.original_message(T).await;
    assert!(reply.is_ephemeral());
    reply.text()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn with_ai_feedback_on_the_models_opinion_follows_the_rubric_in_the_thread() {
    let model = ModelStandIn::start().await;
    let world = world_with_model(&model).await;
    let shown = turn_on(&world).await;
    let host = model.base_url().replace("http://", "").replace("/v1", "");
    assert!(
        shown.contains(&host) && shown.contains("standin-model"),
        "turning it on says who receives the answers: {shown}"
    );
    let store = world.store().await;
    assert!(store
        .ai_enabled(world.discord.guild_id())
        .await
        .expect("reads"));

    let alice = world.discord.alice();
    let (thread, q1) = world
        .start_interview(alice, &[("topic", json!(TOPIC))])
        .await;
    // The question's own words: on topic for the guard, yet no keyword of
    // the rubric (the bank's lint keeps keywords out of prompts).
    let answer = q1.text();
    let feedback = world.answer(alice, &q1, &answer).await;
    assert!(
        feedback.text().contains("Key points covered"),
        "the rubric first"
    );
    let opinion = world.message_with(thread, "The model's opinion").await;
    let text = opinion.text();
    assert!(
        text.contains("A clear answer that names the mechanism"),
        "{text}"
    );
    assert!(text.contains("Counted: coverage 100%"), "{text}");
    assert_eq!(model.calls(), 1);
    let sent = &model.requests()[0].body;
    assert!(openai_standin::answer_in(sent).contains("Question 1 of"));
    assert_no_pings(&world.discord);
    world.discord.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failing_endpoint_is_told_once_and_the_interview_goes_on_with_the_rubric() {
    let model = ModelStandIn::start().await;
    model.always(Answer::Status(500));
    let world = world_with_model(&model).await;
    turn_on(&world).await;
    let alice = world.discord.alice();
    let (thread, q1) = world
        .start_interview(alice, &[("topic", json!(TOPIC)), ("questions", json!(2))])
        .await;
    let feedback = world.answer(alice, &q1, &q1.text()).await;
    world
        .message_with(thread, "AI feedback is unavailable")
        .await;
    let rated = world.press(alice, &feedback, "r3");
    rated.response(T).await;
    let q2 = world.message_with(thread, "Question 2 of 2").await;
    let feedback = world.answer(alice, &q2, &q2.text()).await;
    model.wait_for_calls(2).await;
    world.press(alice, &feedback, "r3").response(T).await;
    world.message_with(thread, "Summary").await;
    let notices = world.discord.inspect(|st| {
        st.messages
            .iter()
            .filter(|m| m.channel_id == thread && m.text().contains("AI feedback is unavailable"))
            .count()
    });
    assert_eq!(notices, 1, "said once, not on every question");
    world.discord.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn without_an_endpoint_the_switch_is_refused_and_privacy_says_nothing_leaves() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let on = d.slash_command(
        d.admin(),
        d.channel_id(),
        "config",
        &[("ai_feedback", json!(0))],
    );
    let reply = on.original_message(T).await;
    assert!(reply.is_ephemeral());
    assert!(reply.text().contains("ai.base_url"), "{}", reply.text());
    let store = world.store().await;
    assert!(!store.ai_enabled(d.guild_id()).await.expect("reads"));
    let privacy = d.slash_command(d.alice(), d.channel_id(), "privacy ai", &[]);
    let text = privacy.original_message(T).await.text();
    assert!(text.contains("never leave"), "{text}");
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_person_may_opt_out_and_privacy_says_what_is_sent_where() {
    let model = ModelStandIn::start().await;
    let world = world_with_model(&model).await;
    turn_on(&world).await;
    let d = &world.discord;
    let alice = d.alice();
    let off = d.slash_command(
        alice,
        d.channel_id(),
        "privacy ai",
        &[("feedback", json!(1))],
    );
    let text = off.original_message(T).await.text();
    let host = model.base_url().replace("http://", "").replace("/v1", "");
    assert!(text.contains(&host), "says where answers go: {text}");
    assert!(
        text.contains("This server: **on**") && text.contains("You: **off**"),
        "{text}"
    );
    let store = world.store().await;
    let user = store
        .find_discord_user(alice)
        .await
        .expect("reads")
        .expect("known");
    assert!(store.ai_opted_out(user).await.expect("reads"));
    let back = d.slash_command(
        alice,
        d.channel_id(),
        "privacy ai",
        &[("feedback", json!(0))],
    );
    back.original_message(T).await;
    assert!(!store.ai_opted_out(user).await.expect("reads"));
    d.assert_clean();
}
