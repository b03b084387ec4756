//! /review, /export, the /stats chart and review reminders, end to end
//! through the loopback Discord stand-in on the manual clock.

mod support;

use serde_json::json;
use std::time::Duration;
use support::*;

const DAY: Duration = Duration::from_secs(86_400);

/// A one-question interview answered "I am not sure." and rated 1; the
/// session id and the question asked.
async fn bad_interview(world: &World, user: u64) -> (i64, String) {
    let (thread, q) = world
        .start_interview(user, &[("topic", json!(TOPIC)), ("questions", json!(1))])
        .await;
    let feedback = world.answer(user, &q, "I am not sure.").await;
    assert_eq!(world.press(user, &feedback, "r1").response(T).await.kind, 4);
    world.message_with(thread, "Summary (finished)").await;
    let store = world.store().await;
    let me = store.find_discord_user(user).await.unwrap().unwrap();
    let history = store.history(me, 1).await.unwrap();
    let id = history[0].session_id;
    let s = store.load_session(id).await.unwrap().unwrap();
    (id, s.state.results[0].question_id.clone())
}

fn thread_of(reply: &StoredMessage) -> u64 {
    linked_channel(reply.content())
        .unwrap_or_else(|| panic!("the reply links the thread: {:?}", reply.content()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_review_asks_the_missed_question_again_and_resolves_its_notes() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    // Nothing answered: nothing due, and a normal interview is offered.
    let none = d.slash_command(d.dave(), d.channel_id(), "review", &[]);
    let reply = none.original_message(T).await;
    assert!(reply.is_ephemeral());
    assert!(
        reply.content().contains("Nothing is due for review"),
        "{}",
        reply.content()
    );
    assert!(
        reply.content().contains("/interview start"),
        "{}",
        reply.content()
    );

    let (_, question) = bad_interview(&world, d.alice()).await;
    world.advance(2 * DAY);
    let review = d.slash_command(
        d.alice(),
        d.channel_id(),
        "review",
        &[("questions", json!(1))],
    );
    let reply = review.original_message(T).await;
    assert!(reply.is_ephemeral());
    assert!(
        reply.content().contains("Your review of 1 due question(s)"),
        "{}",
        reply.content()
    );
    let thread = thread_of(&reply);
    assert!(d.channel(thread).expect("thread").name.contains("review"));
    let q = world.message_with(thread, "Question 1 of 1").await;
    let bank = interview_bot::bank::load(&bank_dir()).expect("bank");
    let model = bank
        .question(&question)
        .expect("question")
        .model_answer
        .clone();
    let feedback = world.answer(d.alice(), &q, &model).await;
    assert!(
        feedback.text().contains("Follow-up note"),
        "{}",
        feedback.text()
    );
    assert!(
        feedback.text().contains("marked resolved"),
        "{}",
        feedback.text()
    );

    let store = world.store().await;
    let alice = store.find_discord_user(d.alice()).await.unwrap().unwrap();
    let resolved = store
        .notes(alice, None, interview_bot::store::NoteFilter::Resolved, 50)
        .await
        .unwrap();
    assert!(
        !resolved.is_empty(),
        "the covered points' notes are resolved"
    );
    assert!(resolved
        .iter()
        .all(|n| n.question_id.as_deref() == Some(question.as_str())));
    assert_no_pings(d);
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn export_sends_your_own_session_as_a_file_and_refuses_anyone_elses() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let (id, question) = bad_interview(&world, d.alice()).await;
    let mine = d.slash_command(
        d.alice(),
        d.channel_id(),
        "export",
        &[("session", json!(id))],
    );
    let reply = mine.original_message(T).await;
    assert!(reply.is_ephemeral());
    let files = reply.json["attachments"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(files.len(), 1, "{:?}", reply.json);
    assert_eq!(files[0]["filename"], json!(format!("interview-{id}.md")));
    assert!(files[0]["size"].as_u64().unwrap_or(0) > 200);
    assert!(
        reply.content().contains("1 question(s)"),
        "{}",
        reply.content()
    );

    let theirs = d.slash_command(d.bob(), d.channel_id(), "export", &[("session", json!(id))]);
    let refused = theirs.original_message(T).await;
    assert!(refused.is_ephemeral());
    assert!(
        refused.text().contains("not one of yours"),
        "{}",
        refused.text()
    );
    assert!(refused.json["attachments"]
        .as_array()
        .map_or(true, |a| a.is_empty()));
    // The export itself, from the same runtime code, holds the question.
    let store = world.store().await;
    let alice = store.find_discord_user(d.alice()).await.unwrap().unwrap();
    let (runtime, _rx) = interview_bot::runtime::Runtime::new(
        store,
        load_bank(&bank_dir()),
        interview_bot::time::Clock::system(),
    );
    let e = runtime.export(id, alice).await.expect("exports");
    assert_eq!(e.questions[0].question_id, question);
    assert_eq!(e.questions[0].answer, "I am not sure.");
    assert_no_pings(d);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn stats_attach_a_chart_and_an_empty_history_gets_a_word_instead() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    bad_interview(&world, d.alice()).await;
    let stats = d.slash_command(d.alice(), d.channel_id(), "stats", &[]);
    let reply = stats.original_message(T).await;
    let files = reply.json["attachments"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(files.len(), 1, "{:?}", reply.json);
    assert_eq!(files[0]["filename"], json!("progress.png"));
    assert!(
        reply.text().contains("By topic"),
        "the text embed stays: {}",
        reply.text()
    );
    assert_eq!(
        reply.embeds()[0]["image"]["url"],
        json!("attachment://progress.png")
    );

    // Dave exists (he asked for a review) but has answered nothing.
    let none = d.slash_command(d.dave(), d.channel_id(), "review", &[]);
    none.original_message(T).await;
    let empty = d.slash_command(d.dave(), d.channel_id(), "stats", &[]);
    let reply = empty.original_message(T).await;
    assert!(
        reply.content().contains("No chart yet"),
        "{}",
        reply.content()
    );
    assert!(reply.json["attachments"]
        .as_array()
        .map_or(true, |a| a.is_empty()));
    assert_no_pings(d);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reminders_go_once_a_day_to_those_who_opted_in_and_stop_after_opt_out_or_deletion() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    // 01:00 UTC tomorrow, so "later the same day" stays the same UTC day.
    let day_ms = DAY.as_millis() as i64;
    let now = world.clock.now().millis();
    world.clock.set(interview_bot::time::Timestamp(
        (now / day_ms + 1) * day_ms + 3_600_000,
    ));
    let channel = d.second_channel_id();
    let set = d.slash_command(
        d.admin(),
        d.channel_id(),
        "config",
        &[("review_channel", json!(channel))],
    );
    assert!(set
        .original_message(T)
        .await
        .text()
        .contains("Review channel"));
    bad_interview(&world, d.alice()).await;
    bad_interview(&world, d.bob()).await;
    bad_interview(&world, d.carol()).await;
    // Alice and Bob opt in (choice 0 = on); Carol does not.
    for who in [d.alice(), d.bob()] {
        let on = d.slash_command(who, d.channel_id(), "review", &[("remind", json!(0))]);
        let reply = on.original_message(T).await;
        assert!(
            reply.content().contains("Reminders are on"),
            "{}",
            reply.content()
        );
        assert!(
            reply.content().contains(&format!("<#{channel}>")),
            "{}",
            reply.content()
        );
    }
    let reminders = |who: u64| {
        d.messages_in(channel)
            .into_iter()
            .filter(|m| {
                m.content().contains("due for review") && m.content().contains(&format!("<@{who}>"))
            })
            .count()
    };
    world.advance(2 * DAY);
    // Ids are read before waiting: the wait's predicate runs under the
    // stand-in's lock, which `d.bob()` takes too.
    let (bob, dave) = (d.bob(), d.dave());
    let bob_first = d
        .wait_for_message(channel, T, |m| m.content().contains(&format!("<@{bob}>")))
        .await;
    assert!(
        bob_first.content().contains("1 question is due for review"),
        "{}",
        bob_first.content()
    );
    assert!(
        bob_first.pinged_users.is_empty(),
        "named, never pinged: {:?}",
        bob_first.pinged_users
    );
    assert_eq!(reminders(d.alice()), 1);
    assert_eq!(reminders(d.carol()), 0);

    // Later the same day: no second one. Alice turns them off; Bob deletes his data.
    world.advance(Duration::from_secs(2 * 3600));
    let off = d.slash_command(d.alice(), d.channel_id(), "review", &[("remind", json!(1))]);
    assert!(off
        .original_message(T)
        .await
        .content()
        .contains("Reminders are off"));
    let delete = d.slash_command(d.bob(), d.channel_id(), "privacy delete", &[]);
    let confirm = delete.original_message(T).await;
    let press = d.press_button(d.bob(), confirm.id, &confirm.custom_ids()[0]);
    assert_eq!(press.response(T).await.kind, 7);
    let store = world.store().await;
    assert!(store.find_discord_user(d.bob()).await.unwrap().is_none());
    // Dave opts in as the control: his reminder shows the next day's check ran.
    let (_, _) = bad_interview(&world, d.dave()).await;
    let on = d.slash_command(d.dave(), d.channel_id(), "review", &[("remind", json!(0))]);
    on.original_message(T).await;
    world.advance(2 * DAY);
    d.wait_for_message(channel, T, |m| m.content().contains(&format!("<@{dave}>")))
        .await;
    assert_eq!(reminders(d.alice()), 1, "none after opting out");
    assert_eq!(reminders(d.bob()), 1, "none after /privacy delete");
    assert_eq!(reminders(d.carol()), 0, "never for who did not opt in");
    assert_no_pings(d);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn without_a_review_channel_reminders_go_as_direct_messages_where_allowed() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let (alice, bob) = (d.alice(), d.bob());
    bad_interview(&world, alice).await;
    bad_interview(&world, bob).await;
    d.close_dms(bob);
    for who in [alice, bob] {
        let on = d.slash_command(who, d.channel_id(), "review", &[("remind", json!(0))]);
        let reply = on.original_message(T).await;
        assert!(
            reply.content().contains("as a direct message"),
            "{}",
            reply.content()
        );
    }
    world.advance(2 * DAY);
    let dm = d
        .wait_until(T, "a DM channel with alice", |st| {
            st.channels
                .iter()
                .find(|c| c.kind == 1 && c.owner_id == Some(alice))
                .map(|c| c.id)
        })
        .await;
    let message = d
        .wait_for_message(dm, T, |m| m.content().contains("due for review"))
        .await;
    assert!(
        message
            .content()
            .starts_with("1 question is due for review"),
        "{}",
        message.content()
    );
    assert!(message.pinged_users.is_empty());
    // Bob's DMs are closed: the post is refused, and nothing reaches him.
    let bob_dm = d
        .wait_until(T, "a DM channel with bob", |st| {
            st.channels
                .iter()
                .find(|c| c.kind == 1 && c.owner_id == Some(bob))
                .map(|c| c.id)
        })
        .await;
    let refused = d
        .wait_for_request(T, |r| {
            r.method == "POST" && r.path.ends_with(&format!("/channels/{bob_dm}/messages"))
        })
        .await;
    assert_eq!(refused.status, 403);
    assert!(d.messages_in(bob_dm).is_empty());
    assert!(d.messages_in(d.second_channel_id()).is_empty());
    assert_eq!(d.dm_channel_of(alice), Some(dm));
    assert_no_pings(d);
}
